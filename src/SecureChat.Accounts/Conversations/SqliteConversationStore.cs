using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SecureChat.Accounts.Conversations;

/// <summary>A conversation store in one SQLite file (which may be the user store's), in WAL journal mode with a busy
/// timeout; transactions that write begin IMMEDIATE, so concurrent writers queue for the lock instead of deadlocking.</summary>
public sealed class SqliteConversationStore : SqlConversationStore
{
    // Full sync at every commit: a stored message is on disk when StoreAsync returns.
    private const string ConnectionPragmas = "PRAGMA synchronous = FULL;";
    private readonly string _connectionString;

    /// <summary>Creates a store over the database file at <paramref name="path"/>; its directory is created by <see cref="SqlConversationStore.EnsureSchemaAsync"/>.</summary>
    public SqliteConversationStore(string path, UserStoreOptions? options = null)
        : base(options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = Path.GetFullPath(path);
        _connectionString = SqliteDatabase.ConnectionString(DatabasePath, Options);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    private protected override string ReserveIdsSql => $"UPDATE {MessageIdsTable} SET last_id = last_id + @count WHERE id = 1 RETURNING last_id";

    // The transaction's own update is what it reads back.
    private protected override string LastIdSql => $"(SELECT last_id FROM {MessageIdsTable} WHERE id = 1)";

    private protected override string InsertIfAbsentSql(string table, string columns, string values) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING";

    private protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await SqliteDatabase.OpenAsync(_connectionString, Options, ConnectionPragmas, cancellationToken).ConfigureAwait(false);

    // Private messages: the file is created readable by its owner only, before SQLite opens it.
    private protected override void BeforeSchemaOpen() => SqliteDatabase.PrepareFile(DatabasePath);

    private protected override async Task PrepareSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers (history, pending) proceed while a writer holds the lock; the mode is stored in the
        // file, so setting it once here covers every later connection.
        await ScalarAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
    }

    private protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // BEGIN IMMEDIATE takes the write lock now (waiting up to the busy timeout). A deferred transaction that
        // read first and wrote later could deadlock with another one and fail at once with SQLITE_BUSY.
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    private protected override IReadOnlyList<string> MigrationStatements(int version) => version switch
    {
        1 =>
        [
            $"CREATE TABLE IF NOT EXISTS {RoomsTable} (name TEXT NOT NULL PRIMARY KEY, created_ms INTEGER NOT NULL) STRICT, WITHOUT ROWID",
            $"""
            CREATE TABLE IF NOT EXISTS {MembersTable} (
                room TEXT NOT NULL,
                username TEXT NOT NULL,
                joined_ms INTEGER NOT NULL,
                PRIMARY KEY (room, username)
            ) STRICT, WITHOUT ROWID
            """,
            $"CREATE INDEX IF NOT EXISTS {MembersTable}_by_username ON {MembersTable} (username, room)",
            $"""
            CREATE TABLE IF NOT EXISTS {MessagesTable} (
                id INTEGER NOT NULL PRIMARY KEY,
                thread TEXT NOT NULL,
                author TEXT NOT NULL,
                stored_ms INTEGER NOT NULL,
                body TEXT NOT NULL
            ) STRICT
            """,
            $"CREATE INDEX IF NOT EXISTS {MessagesTable}_by_thread ON {MessagesTable} (thread, id)",
            $"CREATE INDEX IF NOT EXISTS {MessagesTable}_by_stored ON {MessagesTable} (stored_ms)",
            $"""
            CREATE TABLE IF NOT EXISTS {PendingTable} (
                username TEXT NOT NULL,
                message_id INTEGER NOT NULL,
                PRIMARY KEY (username, message_id)
            ) STRICT, WITHOUT ROWID
            """,
            $"CREATE INDEX IF NOT EXISTS {PendingTable}_by_message ON {PendingTable} (message_id)",
            $"CREATE TABLE IF NOT EXISTS {MessageIdsTable} (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), last_id INTEGER NOT NULL) STRICT",
            InsertIfAbsentSql(MessageIdsTable, "id, last_id", "1, 0"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };
}
