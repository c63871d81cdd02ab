namespace SecureChat.Accounts;

/// <summary>Persistent store of accounts and their per-account login throttling state.</summary>
/// <remarks>
/// E-mail addresses are normalised to lower case by the store, so lookups and uniqueness ignore case; usernames keep
/// their case but are unique ignoring ASCII case. Every database failure (server down, timeout, broken connection,
/// locked file) surfaces as <see cref="UserStoreUnavailableException"/>; the store recovers by itself when the
/// database is back. Implementations are safe for concurrent use.
/// </remarks>
public interface IUserStore
{
    /// <summary>Creates the tables, or migrates them to the current schema version; safe to call at every start-up.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts an account, reporting a duplicate e-mail or username through the database's unique keys.</summary>
    Task<CreateUserResult> CreateAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>Finds an account by e-mail address (case-insensitive), or returns <see langword="null"/>.</summary>
    Task<UserRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Finds an account by username (ignoring ASCII case), or returns <see langword="null"/>.</summary>
    Task<UserRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Atomically adds one failed login to the account and returns its new state (<see cref="ThrottleState.None"/> if the account does not exist).</summary>
    Task<ThrottleState> RecordFailureAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Locks the account until <paramref name="lockedUntilMs"/>, unless it is already locked for longer.</summary>
    Task LockUntilAsync(long userId, long lockedUntilMs, CancellationToken cancellationToken = default);

    /// <summary>Clears the account's failed-login count and lock.</summary>
    Task ResetFailuresAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the account's salt and password hash (used to upgrade hashing parameters).</summary>
    Task UpdatePasswordHashAsync(long userId, byte[] salt, string passwordHash, CancellationToken cancellationToken = default);
}
