using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SecureChat.Accounts;

/// <summary>A user store in one SQLite file, in WAL journal mode with a busy timeout so concurrent writers wait instead of failing.</summary>
public sealed class SqliteUserStore : SqlUserStore
{
    private const int SqliteConstraintUnique = 2067;
    private readonly string _connectionString;

    /// <summary>Creates a store over the database file at <paramref name="path"/>; its directory is created by <see cref="SqlUserStore.EnsureSchemaAsync"/>.</summary>
    public SqliteUserStore(string path, UserStoreOptions? options = null)
        : base(options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = Path.GetFullPath(path);
        _connectionString = SqliteDatabase.ConnectionString(DatabasePath, Options);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    private protected override string LastInsertIdSql => "SELECT last_insert_rowid()";

    private protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await SqliteDatabase.OpenAsync(_connectionString, Options, "", cancellationToken).ConfigureAwait(false);

    // The file holds password hashes: it is created readable by its owner only, before SQLite opens it.
    private protected override void BeforeSchemaOpen() => SqliteDatabase.PrepareFile(DatabasePath);

    private protected override async Task PrepareSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers (logins) proceed while a writer (a registration) holds the lock; the mode is stored
        // in the file, so setting it once here covers every later connection.
        await ScalarAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
    }

    private protected override IReadOnlyList<string> MigrationStatements(int version) => version switch
    {
        1 =>
        [
            $"""
            CREATE TABLE IF NOT EXISTS {UsersTable} (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                email TEXT NOT NULL UNIQUE,
                username TEXT NOT NULL,
                username_key TEXT NOT NULL UNIQUE,
                salt BLOB NOT NULL,
                password_hash TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                failed_count INTEGER NOT NULL DEFAULT 0,
                locked_until_ms INTEGER NOT NULL DEFAULT 0
            ) STRICT
            """,
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    private protected override CreateUserStatus? ClassifyUniqueViolation(DbException exception)
    {
        // SQLite names the violated columns ("UNIQUE constraint failed: users.email"), never the values.
        if (exception is not SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique } sqlite)
        {
            return null;
        }

        if (sqlite.Message.Contains($"{UsersTable}.username_key", StringComparison.Ordinal))
        {
            return CreateUserStatus.DuplicateUsername;
        }

        return sqlite.Message.Contains($"{UsersTable}.email", StringComparison.Ordinal) ? CreateUserStatus.DuplicateEmail : null;
    }
}
