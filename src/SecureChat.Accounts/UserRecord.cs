namespace SecureChat.Accounts;

/// <summary>One registered account as stored by an <see cref="IUserStore"/>.</summary>
/// <param name="Id">The store-assigned identifier; ignored by <see cref="IUserStore.CreateAsync"/>.</param>
/// <param name="Email">The e-mail address, normalised to lower case by the store.</param>
/// <param name="Username">The display name, case preserved; unique regardless of ASCII case.</param>
/// <param name="Salt">The 16-byte Argon2id salt (also embedded in <paramref name="PasswordHash"/>).</param>
/// <param name="PasswordHash">The self-describing PHC string, e.g. <c>$argon2id$v=19$m=19456,t=2,p=1$…$…</c>.</param>
/// <param name="CreatedMs">Creation time in Unix milliseconds.</param>
/// <param name="Throttle">The per-account failed-login state.</param>
public sealed record UserRecord(
    long Id,
    string Email,
    string Username,
    byte[] Salt,
    string PasswordHash,
    long CreatedMs,
    ThrottleState Throttle);

/// <summary>Per-account login throttling state, kept in the account's row so it survives restarts.</summary>
/// <param name="FailedCount">Consecutive failed logins since the last success.</param>
/// <param name="LockedUntilMs">Unix milliseconds before which logins are refused without checking the password; 0 when not locked.</param>
public readonly record struct ThrottleState(int FailedCount, long LockedUntilMs)
{
    /// <summary>The state of an account with no failures and no lock.</summary>
    public static ThrottleState None => default;

    /// <summary>Reports whether the account is locked at <paramref name="nowMs"/>.</summary>
    public bool IsLockedAt(long nowMs) => LockedUntilMs > nowMs;
}

/// <summary>The outcome of <see cref="IUserStore.CreateAsync"/>.</summary>
public enum CreateUserStatus
{
    /// <summary>The account was inserted.</summary>
    Created,

    /// <summary>Another account already has this e-mail address (compared case-insensitively).</summary>
    DuplicateEmail,

    /// <summary>Another account already has this username (compared ignoring ASCII case).</summary>
    DuplicateUsername,
}

/// <summary>The result of <see cref="IUserStore.CreateAsync"/>.</summary>
/// <param name="Status">Whether the account was created, or which unique key it collided with.</param>
/// <param name="UserId">The new account's identifier, or 0 when it was not created.</param>
public readonly record struct CreateUserResult(CreateUserStatus Status, long UserId)
{
    /// <summary>Reports whether the account was inserted.</summary>
    public bool Created => Status == CreateUserStatus.Created;
}
