using System.Data.Common;
using MySqlConnector;

namespace SecureChat.Accounts;

/// <summary>A user store in MySQL or MariaDB: InnoDB tables, utf8mb4, unique keys on e-mail and username.</summary>
/// <remarks>
/// The connect and command timeouts from <see cref="UserStoreOptions"/> override the connection string's, so a
/// server that is down or unreachable fails a call within a bounded time instead of hanging it.
/// </remarks>
public sealed class MySqlUserStore : SqlUserStore
{
    private const string EmailKey = "uq_email";
    private const string UsernameKey = "uq_username_key";
    private readonly string _connectionString;
    private readonly string _migrationLockName;

    /// <summary>Creates a store over the database named in <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed or names no database.</exception>
    public MySqlUserStore(string connectionString, UserStoreOptions? options = null)
        : base(options)
    {
        var builder = MySqlDatabase.Parse(connectionString, Options);
        _connectionString = builder.ConnectionString;

        // GET_LOCK names are server-wide, so derive one from the database and prefix.
        _migrationLockName = MySqlDatabase.MigrationLockName(builder.Database + "\0" + Options.TablePrefix);
    }

    private protected override string LastInsertIdSql => "SELECT LAST_INSERT_ID()";

    private protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await MySqlDatabase.OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);

    // Pooled sessions opened before an outage are dead sockets; dropping them makes the first call after the server
    // returns open a fresh connection instead of tripping over a stale one.
    private protected override Task OnUnavailableAsync() => MySqlDatabase.ClearPoolAsync(_connectionString);

    private protected override async Task<DbTransaction?> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // MySQL commits DDL implicitly, so a transaction cannot serialise migrations; a named lock can.
        var acquired = await ScalarAsync(connection, null, "SELECT GET_LOCK(@name, @seconds)", cancellationToken,
            ("@name", _migrationLockName), ("@seconds", Options.CommandTimeoutSeconds)).ConfigureAwait(false);
        if (acquired is not (1 or 1L))
        {
            throw new TimeoutException("Another process held the schema migration lock for too long.");
        }

        return null;
    }

    private protected override async Task EndMigrationAsync(DbConnection connection, DbTransaction? transaction, bool succeeded, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, null, "SELECT RELEASE_LOCK(@name)", cancellationToken, ("@name", _migrationLockName)).ConfigureAwait(false);

    private protected override IReadOnlyList<string> MigrationStatements(int version) => version switch
    {
        1 =>
        [
            $"""
            CREATE TABLE IF NOT EXISTS {UsersTable} (
                id BIGINT NOT NULL AUTO_INCREMENT,
                email VARCHAR({MaxEmailLength}) NOT NULL,
                username VARCHAR({UsernameColumnWidth}) NOT NULL,
                username_key VARCHAR({UsernameColumnWidth}) NOT NULL,
                salt VARBINARY({MaxSaltLength}) NOT NULL,
                password_hash VARCHAR({MaxPasswordHashLength}) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
                created_ms BIGINT NOT NULL,
                failed_count INT NOT NULL DEFAULT 0,
                locked_until_ms BIGINT NOT NULL DEFAULT 0,
                PRIMARY KEY (id),
                UNIQUE KEY {EmailKey} (email),
                UNIQUE KEY {UsernameKey} (username_key)
            ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin
            """,
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    private protected override CreateUserStatus? ClassifyUniqueViolation(DbException exception)
    {
        if (exception is not MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } mysql)
        {
            return null;
        }

        // "Duplicate entry '<value>' for key '<key>'" (MariaDB) or "... for key '<table>.<key>'" (MySQL 8). The value
        // is attacker-chosen and may contain a key name, so only the text after the last "for key" counts.
        var message = mysql.Message;
        var at = message.LastIndexOf("for key ", StringComparison.Ordinal);
        var key = at < 0 ? "" : message[(at + "for key ".Length)..].Trim('\'', '`', '"', ' ', '.');
        if (key.EndsWith(UsernameKey, StringComparison.Ordinal))
        {
            return CreateUserStatus.DuplicateUsername;
        }

        return key.EndsWith(EmailKey, StringComparison.Ordinal) ? CreateUserStatus.DuplicateEmail : null;
    }
}
