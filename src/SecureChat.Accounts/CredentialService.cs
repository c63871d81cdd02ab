using System.Net;
using System.Security.Cryptography;
using SecureChat.Crypto;

namespace SecureChat.Accounts;

/// <summary>The server's register and login logic (protocol §4.3, §7): validation, Argon2id hashing, throttling and uniform failures.</summary>
/// <remarks>
/// <para>Login order: shape checks, then the address limit, then the account lookup and its lock — all before any
/// hash is computed, so a throttled attacker costs the server no Argon2 work.</para>
/// <para>An unknown e-mail and a wrong password give the same outcome and message, and both run one Argon2
/// verification (an unknown e-mail is checked against a dummy hash made with the same parameters); unknown e-mail
/// addresses are locked in memory exactly like accounts, so the lockout does not reveal registration either.</para>
/// <para>Passwords are only passed to <see cref="PasswordHasher"/>, which zeroes its byte copies; they are never
/// stored, logged or put in a message. Safe for concurrent use.</para>
/// </remarks>
public sealed class CredentialService
{
    /// <summary>The shortest password accepted at registration.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest password accepted, in characters; the bound keeps hashing cost independent of input size.</summary>
    public const int MaxPasswordLength = 1024;

    private readonly IUserStore _store;
    private readonly IPasswordHashing _hashing;
    private readonly CredentialPolicy _policy;
    private readonly TimeProvider _time;
    private readonly AddressThrottle _addresses;
    private readonly UnknownEmailThrottle _unknownEmails;
    private readonly SemaphoreSlim _hashSlots;
    private readonly string _dummyHash;

    /// <summary>Creates the service with Argon2id <paramref name="parameters"/> (use <see cref="Argon2Parameters.Default"/> in production).</summary>
    public CredentialService(IUserStore store, Argon2Parameters parameters, CredentialPolicy? policy = null, TimeProvider? timeProvider = null, IEntropySource? entropy = null)
        : this(store, new Argon2PasswordHashing(new PasswordHasher(parameters, entropy ?? IEntropySource.System)), policy, timeProvider)
    {
    }

    internal CredentialService(IUserStore store, IPasswordHashing hashing, CredentialPolicy? policy, TimeProvider? timeProvider)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _hashing = hashing ?? throw new ArgumentNullException(nameof(hashing));
        _policy = policy ?? CredentialPolicy.Default;
        _policy.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _addresses = new AddressThrottle(_policy.AddressFailureLimit, _policy.AddressWindow, _policy.MaxTrackedAddresses);
        _unknownEmails = new UnknownEmailThrottle(_policy);
        _hashSlots = new SemaphoreSlim(_policy.MaxConcurrentHashes, _policy.MaxConcurrentHashes);

        // A password nobody knows, hashed with the current parameters, so that verifying against it costs exactly
        // what verifying a real account costs.
        _dummyHash = _hashing.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    /// <summary>Registers an account; <see cref="CredentialOutcome.UserExists"/> when the e-mail or username is taken.</summary>
    public async Task<CredentialResult> RegisterAsync(string email, string username, string password, IPAddress? remoteAddress, CancellationToken cancellationToken = default)
    {
        if (!CredentialRules.IsValidEmail(email))
        {
            return Messages.InvalidEmail;
        }

        if (!CredentialRules.IsValidUsername(username))
        {
            return Messages.InvalidUsername;
        }

        if (password is null || password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            return Messages.InvalidPassword;
        }

        var nowMs = NowMs();
        var addressKey = AddressThrottle.KeyFor(remoteAddress);
        if (_addresses.IsLimited(addressKey, nowMs))
        {
            return Messages.RateLimited;
        }

        try
        {
            var (salt, hash) = await HashAsync(password, cancellationToken).ConfigureAwait(false);
            var user = new UserRecord(0, SqlUserStore.NormalizeEmail(email), username, salt, hash, nowMs, ThrottleState.None);
            var created = await _store.CreateAsync(user, cancellationToken).ConfigureAwait(false);
            if (created.Created)
            {
                return new CredentialResult(CredentialOutcome.Ok, username, "Registered.");
            }

            // Probing for taken addresses through registration counts against the address like a failed login.
            _addresses.RecordFailure(addressKey, nowMs);
            return created.Status == CreateUserStatus.DuplicateEmail ? Messages.EmailTaken : Messages.UsernameTaken;
        }
        catch (UserStoreUnavailableException)
        {
            return Messages.Unavailable;
        }
    }

    /// <summary>Checks a login; unknown e-mail and wrong password are indistinguishable in outcome, message and work done.</summary>
    public async Task<CredentialResult> LoginAsync(string email, string password, IPAddress? remoteAddress, CancellationToken cancellationToken = default)
    {
        if (!CredentialRules.IsValidEmail(email))
        {
            return Messages.InvalidEmail;
        }

        // No minimum here: raising MinPasswordLength later must not lock out accounts registered before.
        if (password is null || password.Length is 0 or > MaxPasswordLength)
        {
            return Messages.InvalidLoginPassword;
        }

        var nowMs = NowMs();
        var addressKey = AddressThrottle.KeyFor(remoteAddress);
        if (_addresses.IsLimited(addressKey, nowMs))
        {
            return Messages.RateLimited;
        }

        var normalizedEmail = SqlUserStore.NormalizeEmail(email);
        try
        {
            var user = await _store.FindByEmailAsync(normalizedEmail, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return await RejectUnknownEmailAsync(normalizedEmail, password, addressKey, nowMs, cancellationToken).ConfigureAwait(false);
            }

            if (user.Throttle.IsLockedAt(nowMs))
            {
                return Messages.RateLimited;
            }

            if (!await VerifyAsync(password, user.PasswordHash, cancellationToken).ConfigureAwait(false))
            {
                _addresses.RecordFailure(addressKey, nowMs);
                var state = await _store.RecordFailureAsync(user.Id, cancellationToken).ConfigureAwait(false);
                var lockout = _policy.LockoutAfter(state.FailedCount);
                if (lockout > TimeSpan.Zero)
                {
                    await _store.LockUntilAsync(user.Id, nowMs + (long)lockout.TotalMilliseconds, cancellationToken).ConfigureAwait(false);
                }

                return Messages.InvalidCredentials;
            }

            if (user.Throttle != ThrottleState.None)
            {
                await _store.ResetFailuresAsync(user.Id, cancellationToken).ConfigureAwait(false);
            }

            await RehashIfNeededAsync(user, password, cancellationToken).ConfigureAwait(false);
            return new CredentialResult(CredentialOutcome.Ok, user.Username, "Logged in.");
        }
        catch (UserStoreUnavailableException)
        {
            return Messages.Unavailable;
        }
    }

    private async Task<CredentialResult> RejectUnknownEmailAsync(string normalizedEmail, string password, string addressKey, long nowMs, CancellationToken cancellationToken)
    {
        if (_unknownEmails.IsLocked(normalizedEmail, nowMs))
        {
            return Messages.RateLimited;
        }

        // The result is irrelevant; the work is what makes an unknown e-mail cost the same as a wrong password.
        _ = await VerifyAsync(password, _dummyHash, cancellationToken).ConfigureAwait(false);
        _addresses.RecordFailure(addressKey, nowMs);
        _unknownEmails.RecordFailure(normalizedEmail, nowMs);
        return Messages.InvalidCredentials;
    }

    private async Task RehashIfNeededAsync(UserRecord user, string password, CancellationToken cancellationToken)
    {
        if (!_hashing.NeedsRehash(user.PasswordHash))
        {
            return;
        }

        try
        {
            var (salt, hash) = await HashAsync(password, cancellationToken).ConfigureAwait(false);
            await _store.UpdatePasswordHashAsync(user.Id, salt, hash, cancellationToken).ConfigureAwait(false);
        }
        catch (UserStoreUnavailableException)
        {
            // The login itself succeeded; the upgrade is simply tried again at the next login.
        }
    }

    private async Task<(byte[] Salt, string Hash)> HashAsync(string password, CancellationToken cancellationToken)
    {
        string hash;
        await _hashSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            hash = _hashing.Hash(password);
        }
        finally
        {
            _hashSlots.Release();
        }

        // The salt column mirrors the salt inside the PHC string.
        if (!PasswordHasher.TryParse(hash, out _, out var salt, out var digest))
        {
            throw new InvalidOperationException("The password hasher produced a string that is not a valid Argon2id PHC string.");
        }

        CryptographicOperations.ZeroMemory(digest);
        return (salt, hash);
    }

    private async Task<bool> VerifyAsync(string password, string encoded, CancellationToken cancellationToken)
    {
        // Bounding concurrent Argon2 runs bounds memory: each one allocates the configured m KiB.
        await _hashSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _hashing.Verify(password, encoded);
        }
        finally
        {
            _hashSlots.Release();
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Every answer's text in one place, so that equal situations provably get equal words.</summary>
    private static class Messages
    {
        public static readonly CredentialResult InvalidEmail = Invalid("The e-mail address is not valid.");
        public static readonly CredentialResult InvalidUsername = Invalid($"The username must be {CredentialRules.MinUsernameLength} to {CredentialRules.MaxUsernameLength} characters: letters, digits, '_', '.' or '-'.");
        public static readonly CredentialResult InvalidPassword = Invalid("The password must be 8 to 1024 characters long.");
        public static readonly CredentialResult InvalidLoginPassword = Invalid("The password must be 1 to 1024 characters long.");
        public static readonly CredentialResult EmailTaken = new(CredentialOutcome.UserExists, null, "An account with this e-mail address already exists.");
        public static readonly CredentialResult UsernameTaken = new(CredentialOutcome.UserExists, null, "This username is taken.");
        public static readonly CredentialResult InvalidCredentials = new(CredentialOutcome.InvalidCredentials, null, "Invalid e-mail address or password.");
        public static readonly CredentialResult RateLimited = new(CredentialOutcome.RateLimited, null, "Too many failed attempts; try again later.");
        public static readonly CredentialResult Unavailable = new(CredentialOutcome.Unavailable, null, "The service is temporarily unavailable; try again later.");

        private static CredentialResult Invalid(string message) => new(CredentialOutcome.InvalidInput, null, message);
    }
}
