using System.Data.Common;
using System.Globalization;

namespace SecureChat.Accounts;

/// <summary>The SQL shared by the SQLite and MySQL user stores; derived classes supply connections, DDL and error classification.</summary>
/// <remarks>
/// Every value travels as a command parameter. The only text spliced into SQL is the table prefix, which
/// <see cref="UserStoreOptions"/> restricts to <c>[a-z0-9_]</c>, because identifiers cannot be parameters.
/// </remarks>
public abstract class SqlUserStore : IUserStore
{
    /// <summary>The schema version this build creates and understands.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The longest e-mail address a store accepts (RFC 5321 path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Width of the username columns: wider than the one username rule (<see cref="CredentialRules"/>), so
    /// the rule can grow without a schema migration. The store itself enforces the rule.</summary>
    public const int UsernameColumnWidth = 64;

    /// <summary>The longest PHC string a store accepts.</summary>
    public const int MaxPasswordHashLength = 255;

    /// <summary>The longest salt a store accepts, in bytes.</summary>
    public const int MaxSaltLength = 64;

    private const string Columns = "id, email, username, salt, password_hash, created_ms, failed_count, locked_until_ms";

    private protected SqlUserStore(UserStoreOptions? options)
    {
        Options = options ?? UserStoreOptions.Default;
        Options.Validate();
        UsersTable = Options.TablePrefix + "users";
        SchemaVersionTable = Options.TablePrefix + "schema_version";
    }

    /// <summary>The settings this store was created with.</summary>
    public UserStoreOptions Options { get; }

    private protected string UsersTable { get; }

    private protected string SchemaVersionTable { get; }

    /// <inheritdoc />
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        RunAsync("prepare its schema", async (connection, ct) =>
        {
            await PrepareSchemaAsync(connection, ct).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"CREATE TABLE IF NOT EXISTS {SchemaVersionTable} (version INTEGER NOT NULL PRIMARY KEY, applied_ms BIGINT NOT NULL)", ct).ConfigureAwait(false);

            // Two servers starting at once must not both apply the same migration.
            var transaction = await BeginMigrationAsync(connection, ct).ConfigureAwait(false);
            var migrated = false;
            try
            {
                var current = await ReadSchemaVersionAsync(connection, transaction, ct).ConfigureAwait(false);
                if (current > CurrentSchemaVersion)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"The user database has schema version {current}, newer than the {CurrentSchemaVersion} this build understands; upgrade the server."));
                }

                for (var version = current + 1; version <= CurrentSchemaVersion; version++)
                {
                    foreach (var statement in MigrationStatements(version))
                    {
                        await ExecuteAsync(connection, transaction, statement, ct).ConfigureAwait(false);
                    }

                    await ExecuteAsync(connection, transaction, $"INSERT INTO {SchemaVersionTable} (version, applied_ms) VALUES (@version, @now)", ct,
                        ("@version", version), ("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                }

                migrated = true;
            }
            finally
            {
                await EndMigrationAsync(connection, transaction, migrated, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken, beforeOpen: BeforeSchemaOpen);

    /// <inheritdoc />
    public Task<CreateUserResult> CreateAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var email = NormalizeEmail(user.Email);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Username);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(user.Username.Length, CredentialRules.MaxUsernameLength, nameof(user));
        ArgumentNullException.ThrowIfNull(user.Salt);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(user.Salt.Length, MaxSaltLength, nameof(user));
        ArgumentException.ThrowIfNullOrEmpty(user.PasswordHash);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(user.PasswordHash.Length, MaxPasswordHashLength, nameof(user));

        return RunAsync("create the account", async (connection, ct) =>
        {
            try
            {
                await ExecuteAsync(connection, null,
                    $"INSERT INTO {UsersTable} (email, username, username_key, salt, password_hash, created_ms, failed_count, locked_until_ms) " +
                    "VALUES (@email, @username, @usernameKey, @salt, @hash, @created, @failed, @locked)", ct,
                    ("@email", email), ("@username", user.Username), ("@usernameKey", UsernameKey(user.Username)), ("@salt", user.Salt),
                    ("@hash", user.PasswordHash), ("@created", user.CreatedMs), ("@failed", user.Throttle.FailedCount),
                    ("@locked", user.Throttle.LockedUntilMs)).ConfigureAwait(false);
            }
            catch (DbException e) when (ClassifyUniqueViolation(e) is { } duplicate)
            {
                // The unique keys decide, not a prior SELECT: two concurrent registrations cannot both pass.
                return new CreateUserResult(duplicate, 0);
            }

            // Same connection, so the id is this insert's even under concurrency.
            var id = await ScalarAsync(connection, null, LastInsertIdSql, ct).ConfigureAwait(false);
            return new CreateUserResult(CreateUserStatus.Created, Convert.ToInt64(id, CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<UserRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeEmail(email);
        return FindAsync("email", normalized, cancellationToken);
    }

    /// <inheritdoc />
    public Task<UserRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        return FindAsync("username_key", UsernameKey(username), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ThrottleState> RecordFailureAsync(long userId, CancellationToken cancellationToken = default) =>
        RunAsync("record a failed login", async (connection, ct) =>
        {
            // Increment and read back in one transaction so concurrent failures are all counted.
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction,
                    $"UPDATE {UsersTable} SET failed_count = CASE WHEN failed_count < 2147483647 THEN failed_count + 1 ELSE failed_count END WHERE id = @id",
                    ct, ("@id", userId)).ConfigureAwait(false);
                var state = ThrottleState.None;
                var command = CreateCommand(connection, transaction, $"SELECT failed_count, locked_until_ms FROM {UsersTable} WHERE id = @id", ("@id", userId));
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            state = new ThrottleState(reader.GetInt32(0), reader.GetInt64(1));
                        }
                    }
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return state;
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task LockUntilAsync(long userId, long lockedUntilMs, CancellationToken cancellationToken = default) =>
        RunAsync("lock the account", (connection, ct) =>
            ExecuteAsync(connection, null, $"UPDATE {UsersTable} SET locked_until_ms = @until WHERE id = @id AND locked_until_ms < @until", ct,
                ("@until", lockedUntilMs), ("@id", userId)), cancellationToken);

    /// <inheritdoc />
    public Task ResetFailuresAsync(long userId, CancellationToken cancellationToken = default) =>
        RunAsync("reset the account's failed logins", (connection, ct) =>
            ExecuteAsync(connection, null, $"UPDATE {UsersTable} SET failed_count = 0, locked_until_ms = 0 WHERE id = @id", ct,
                ("@id", userId)), cancellationToken);

    /// <inheritdoc />
    public Task UpdatePasswordHashAsync(long userId, byte[] salt, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(salt.Length, MaxSaltLength, nameof(salt));
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(passwordHash.Length, MaxPasswordHashLength, nameof(passwordHash));
        return RunAsync("update the password hash", (connection, ct) =>
            ExecuteAsync(connection, null, $"UPDATE {UsersTable} SET salt = @salt, password_hash = @hash WHERE id = @id", ct,
                ("@salt", salt), ("@hash", passwordHash), ("@id", userId)), cancellationToken);
    }

    /// <summary>Returns the schema version recorded in the database (0 when none).</summary>
    internal Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        RunAsync("read its schema version", (connection, ct) => ReadSchemaVersionAsync(connection, null, ct), cancellationToken);

    /// <summary>Normalises an e-mail address the way every store keys it.</summary>
    internal static string NormalizeEmail(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(email.Length, MaxEmailLength, nameof(email));
        return email.ToLowerInvariant();
    }

    private static string UsernameKey(string username) => username.ToLowerInvariant();

    /// <summary>Opens a connection with the configured timeouts.</summary>
    private protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>The DDL that migrates the schema from <paramref name="version"/> − 1 to <paramref name="version"/>.</summary>
    private protected abstract IReadOnlyList<string> MigrationStatements(int version);

    /// <summary>The statement returning the id of the last row this connection inserted.</summary>
    private protected abstract string LastInsertIdSql { get; }

    /// <summary>Maps a unique-key violation to the key it hit, or returns <see langword="null"/> for any other error.</summary>
    private protected abstract CreateUserStatus? ClassifyUniqueViolation(DbException exception);

    /// <summary>Runs before the schema connection is opened (e.g. to create a directory).</summary>
    private protected virtual void BeforeSchemaOpen()
    {
    }

    /// <summary>Runs on the schema connection before any migration (e.g. to set the journal mode).</summary>
    private protected virtual Task PrepareSchemaAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serialises migrations between processes; returns the transaction the migration runs in, if any.</summary>
    private protected virtual async Task<DbTransaction?> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Commits (when <paramref name="succeeded"/>) or abandons what <see cref="BeginMigrationAsync"/> started.</summary>
    /// <remarks>A transaction disposed without a commit rolls back, so a failed migration leaves nothing half-applied.</remarks>
    private protected virtual async Task EndMigrationAsync(DbConnection connection, DbTransaction? transaction, bool succeeded, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await using (transaction.ConfigureAwait(false))
            {
                if (succeeded)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Called after a failure was reported as unavailability, so the next call starts from clean connections.</summary>
    private protected virtual Task OnUnavailableAsync() => Task.CompletedTask;

    private protected DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = Options.CommandTimeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private protected async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = CreateCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private protected async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = CreateCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> ReadSchemaVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var value = await ScalarAsync(connection, transaction, $"SELECT COALESCE(MAX(version), 0) FROM {SchemaVersionTable}", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private Task<UserRecord?> FindAsync(string column, string value, CancellationToken cancellationToken) =>
        RunAsync("look up the account", async (connection, ct) =>
        {
            var command = CreateCommand(connection, null, $"SELECT {Columns} FROM {UsersTable} WHERE {column} = @value", ("@value", value));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        return null;
                    }

                    return new UserRecord(
                        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetString(4),
                        reader.GetInt64(5), new ThrottleState(reader.GetInt32(6), reader.GetInt64(7)));
                }
            }
        }, cancellationToken);

    private Task RunAsync(string action, Func<DbConnection, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        RunAsync(action, async (connection, ct) =>
        {
            await body(connection, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(string action, Func<DbConnection, CancellationToken, Task<T>> body, CancellationToken cancellationToken, Action? beforeOpen = null)
    {
        try
        {
            beforeOpen?.Invoke();
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await body(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailability(e, cancellationToken))
        {
            await OnUnavailableAsync().ConfigureAwait(false);
            throw new UserStoreUnavailableException($"The user database could not {action}: {DatabaseFailures.Cause(e)}.", e);
        }
    }
}
