using System.Data.Common;

namespace SecureChat.Accounts.Conversations;

/// <summary>A conversation store in MySQL or MariaDB (which may be the user store's database): InnoDB tables, utf8mb4
/// with a binary collation, so names compare exactly, case included.</summary>
/// <remarks>
/// The connect and command timeouts from <see cref="UserStoreOptions"/> override the connection string's, so a
/// server that is down or unreachable fails a call within a bounded time instead of hanging it.
/// </remarks>
public sealed class MySqlConversationStore : SqlConversationStore
{
    private const string TableOptions = "ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin";
    private readonly string _connectionString;
    private readonly string _migrationLockName;

    /// <summary>Creates a store over the database named in <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed or names no database.</exception>
    public MySqlConversationStore(string connectionString, UserStoreOptions? options = null)
        : base(options)
    {
        var builder = MySqlDatabase.Parse(connectionString, Options);
        _connectionString = builder.ConnectionString;

        // Not the user store's lock: the two stores' migrations are independent.
        _migrationLockName = MySqlDatabase.MigrationLockName(builder.Database + "\0" + Options.TablePrefix + "\0conversations");
    }

    // LAST_INSERT_ID(expr) hands the new value to this session only, and the UPDATE's row lock lasts until commit.
    // ROW_COUNT() tells a missing sequence row (0) from a real one; then the transaction is rolled back unused.
    private protected override string ReserveIdsSql =>
        $"UPDATE {MessageIdsTable} SET last_id = LAST_INSERT_ID(last_id + @count) WHERE id = 1; SELECT IF(ROW_COUNT() = 1, LAST_INSERT_ID(), NULL)";

    // The tables written after the reservation have no AUTO_INCREMENT column, so nothing else changes this value.
    private protected override string LastIdSql => "LAST_INSERT_ID()";

    // IGNORE also downgrades errors such as an over-long value to warnings, but every value was checked before the
    // call reached the database, so the only row it can skip is a duplicate key. Affected rows are 0 for a skipped
    // row even with the driver's found-rows flag, as the row is neither inserted nor updated.
    private protected override string InsertIfAbsentSql(string table, string columns, string values) =>
        $"INSERT IGNORE INTO {table} ({columns}) VALUES ({values})";

    private protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await MySqlDatabase.OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);

    // Pooled sessions opened before an outage are dead sockets; dropping them makes the first call after the server
    // returns open a fresh connection instead of tripping over a stale one.
    private protected override Task OnUnavailableAsync() => MySqlDatabase.ClearPoolAsync(_connectionString);

    private protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

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
            CREATE TABLE IF NOT EXISTS {RoomsTable} (
                name VARCHAR({ConversationLimits.MaxRoomLength}) NOT NULL,
                created_ms BIGINT NOT NULL,
                PRIMARY KEY (name)
            ) {TableOptions}
            """,
            $"""
            CREATE TABLE IF NOT EXISTS {MembersTable} (
                room VARCHAR({ConversationLimits.MaxRoomLength}) NOT NULL,
                username VARCHAR({ConversationLimits.MaxUsernameLength}) NOT NULL,
                joined_ms BIGINT NOT NULL,
                PRIMARY KEY (room, username),
                KEY ix_username (username, room)
            ) {TableOptions}
            """,
            $"""
            CREATE TABLE IF NOT EXISTS {MessagesTable} (
                id BIGINT NOT NULL,
                thread VARCHAR({ConversationLimits.MaxThreadLength}) NOT NULL,
                author VARCHAR({ConversationLimits.MaxUsernameLength}) NOT NULL,
                stored_ms BIGINT NOT NULL,
                body MEDIUMTEXT NOT NULL,
                PRIMARY KEY (id),
                KEY ix_thread (thread, id),
                KEY ix_stored (stored_ms)
            ) {TableOptions}
            """,
            $"""
            CREATE TABLE IF NOT EXISTS {PendingTable} (
                username VARCHAR({ConversationLimits.MaxUsernameLength}) NOT NULL,
                message_id BIGINT NOT NULL,
                PRIMARY KEY (username, message_id),
                KEY ix_message (message_id)
            ) {TableOptions}
            """,
            $"CREATE TABLE IF NOT EXISTS {MessageIdsTable} (id TINYINT NOT NULL, last_id BIGINT NOT NULL, PRIMARY KEY (id)) {TableOptions}",
            InsertIfAbsentSql(MessageIdsTable, "id, last_id", "1, 0"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };
}
