namespace SecureChat.Accounts;

/// <summary>Login throttling and hashing limits for <see cref="CredentialService"/>.</summary>
/// <remarks>
/// Defaults: after 5 consecutive failures an account is locked for 30 s, doubling with each further failure up to
/// 15 min (a success clears it); an address (IPv4, or IPv6 /64) with 20 failures in the last 5 min is refused until
/// the oldest one leaves the window; at most 10 000 addresses and 10 000 unknown e-mail addresses are tracked in
/// memory; at most one Argon2 computation per processor runs at once. The cap on the lock keeps an attacker who
/// knows an e-mail address from locking its owner out for long. Account failures do not decay with time; only a
/// successful login clears them, so a lock that has expired is renewed, doubled, by the next failure.
/// </remarks>
public sealed record CredentialPolicy
{
    /// <summary>The defaults described on the type.</summary>
    public static CredentialPolicy Default { get; } = new();

    /// <summary>Consecutive failed logins after which an account is locked.</summary>
    public int AccountFailureLimit { get; init; } = 5;

    /// <summary>How long the first lock lasts; each further failure doubles it.</summary>
    public TimeSpan AccountLockout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an account is ever locked for.</summary>
    public TimeSpan MaxAccountLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Failed requests (wrong credentials, or a registration refused as taken) an address may make within <see cref="AddressWindow"/> before it is refused.</summary>
    public int AddressFailureLimit { get; init; } = 20;

    /// <summary>The sliding window over which an address's failures are counted.</summary>
    public TimeSpan AddressWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many addresses the in-memory limiter remembers; the least recently failing is forgotten first.</summary>
    public int MaxTrackedAddresses { get; init; } = 10_000;

    /// <summary>How many unregistered e-mail addresses get the same lock treatment as accounts, in memory.</summary>
    public int MaxTrackedUnknownEmails { get; init; } = 10_000;

    /// <summary>How many password hashes may be computed at once (each takes the configured Argon2 memory).</summary>
    public int MaxConcurrentHashes { get; init; } = Environment.ProcessorCount;

    /// <summary>Returns how long an account is locked after its <paramref name="failedCount"/>-th consecutive failure (zero below the limit).</summary>
    public TimeSpan LockoutAfter(int failedCount)
    {
        if (failedCount < AccountFailureLimit)
        {
            return TimeSpan.Zero;
        }

        // Double per failure past the limit; the exponent is clamped so the arithmetic cannot overflow.
        var doublings = Math.Min(failedCount - AccountFailureLimit, 40);
        var milliseconds = Math.Min(AccountLockout.TotalMilliseconds * Math.Pow(2, doublings), MaxAccountLockout.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Floor(milliseconds));
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(AccountFailureLimit, 1, nameof(AccountFailureLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(AccountLockout, TimeSpan.Zero, nameof(AccountLockout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAccountLockout, AccountLockout, nameof(MaxAccountLockout));
        ArgumentOutOfRangeException.ThrowIfLessThan(AddressFailureLimit, 1, nameof(AddressFailureLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AddressWindow, TimeSpan.Zero, nameof(AddressWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrackedAddresses, 1, nameof(MaxTrackedAddresses));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrackedUnknownEmails, 1, nameof(MaxTrackedUnknownEmails));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentHashes, 1, nameof(MaxConcurrentHashes));
    }
}
