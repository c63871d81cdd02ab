using MySqlConnector;
using SecureChat.Accounts.Conversations;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>The conversation contract over MariaDB (<c>SECURECHAT_TEST_MYSQL</c>).</summary>
/// <remarks>Tests are isolated by table prefix, as in <see cref="MySqlUserStoreTests"/>: every test creates its tables
/// under a prefix of its own and drops every table with that prefix when it ends.</remarks>
[RequiresMySql]
public sealed class MySqlConversationStoreTests : ConversationStoreContract
{
    private readonly string _prefix = MySqlTables.UniquePrefix();

    private static string ConnectionString => MySqlTestEnvironment.RequireConnectionString();

    public override async Task InitializeAsync()
    {
        try
        {
            await base.InitializeAsync();
        }
        catch (UserStoreUnavailableException e)
        {
            throw new InvalidOperationException($"The MariaDB named by {MySqlTestEnvironment.Variable} is unreachable: {e.InnerException?.Message}", e);
        }
    }

    public override Task DisposeAsync() => MySqlTables.DropWithPrefixAsync(_prefix);

    private protected override SqlConversationStore OpenStore(UserStoreOptions? options = null)
    {
        options ??= UserStoreOptions.Default;
        return new MySqlConversationStore(ConnectionString, options with { TablePrefix = _prefix + options.TablePrefix });
    }

    private protected override SqlUserStore OpenUserStore() => new MySqlUserStore(ConnectionString, new UserStoreOptions { TablePrefix = _prefix });

    private protected override SqlConversationStore OpenUnreachableStore()
    {
        // Port 1 on the loopback: nothing listens there, so every connection is refused at once.
        var refused = new MySqlConnectionStringBuilder(ConnectionString) { Server = "127.0.0.1", Port = 1 };
        return new MySqlConversationStore(refused.ConnectionString, new UserStoreOptions { TablePrefix = _prefix, ConnectTimeout = TimeSpan.FromSeconds(2) });
    }

    private protected override Task<ConversationOutageRig> OpenOutageRigAsync() => Task.FromResult<ConversationOutageRig>(new ProxyRig(_prefix));

    private protected override Task<object?> ScalarRawAsync(string sql) => MySqlTables.ScalarAsync(sql);

    [BackendFact]
    public async Task Tables_are_InnoDB_utf8mb4_bin_with_the_indexes_the_queries_need()
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.table_name, t.engine, t.table_collation,
                   (SELECT GROUP_CONCAT(DISTINCT CONCAT(s.index_name, '(', (SELECT GROUP_CONCAT(s2.column_name ORDER BY s2.seq_in_index)
                        FROM information_schema.statistics s2 WHERE s2.table_schema = s.table_schema AND s2.table_name = s.table_name
                        AND s2.index_name = s.index_name), ')') SEPARATOR ' ')
                    FROM information_schema.statistics s WHERE s.table_schema = t.table_schema AND s.table_name = t.table_name)
            FROM information_schema.tables t WHERE t.table_schema = DATABASE() AND t.table_name LIKE @pattern ORDER BY t.table_name
            """;
        command.Parameters.AddWithValue("@pattern", _prefix.Replace("_", "\\_", StringComparison.Ordinal) + "%");
        var tables = new Dictionary<string, string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Assert.Equal("InnoDB", reader.GetString(1));
                Assert.Equal("utf8mb4_bin", reader.GetString(2));
                tables[reader.GetString(0)[_prefix.Length..]] = string.Join(' ', reader.GetString(3).Split(' ').Order(StringComparer.Ordinal));
            }
        }

        Assert.Equal("PRIMARY(version)", tables["conversation_schema"]);
        Assert.Equal("PRIMARY(name)", tables["rooms"]);
        Assert.Equal("PRIMARY(room,username) ix_username(username,room)", tables["room_members"]);
        Assert.Equal("PRIMARY(id) ix_stored(stored_ms) ix_thread(thread,id)", tables["messages"]);
        Assert.Equal("PRIMARY(username,message_id) ix_message(message_id)", tables["pending_deliveries"]);
        Assert.Equal("PRIMARY(id)", tables["message_ids"]);
        Assert.Equal("mediumtext", await MySqlTables.ScalarAsync(
            $"SELECT data_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '{_prefix}messages' AND column_name = 'body'"));
    }

    [BackendFact]
    public async Task Silently_dropping_network_times_out_instead_of_hanging_and_recovers()
    {
        await using var rig = new ProxyRig(_prefix);
        Assert.Single(await rig.Store.StoreAsync([Message("#ops", "alice", 1, "before")]));

        rig.Proxy.Blackhole();

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => rig.Store.StoreAsync([Message("#ops", "alice", 2, "lost")])));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => rig.Store.HistoryAsync("#ops", 5)));
        rig.Proxy.Restore();

        Assert.Single(await Bounded(rig.Store.StoreAsync([Message("#ops", "alice", 3, "after")])));
        Assert.Equal(["before", "after"], (await Bounded(rig.Store.HistoryAsync("#ops", 5))).Select(m => m.Body));
    }

    /// <summary>Puts a cuttable TCP proxy between a store and MariaDB.</summary>
    private sealed class ProxyRig : ConversationOutageRig
    {
        public ProxyRig(string prefix)
        {
            var upstream = new MySqlConnectionStringBuilder(ConnectionString);
            Proxy = new TcpProxy(upstream.Server, (int)upstream.Port);
            var viaProxy = new MySqlConnectionStringBuilder(ConnectionString) { Server = "127.0.0.1", Port = (uint)Proxy.Port };
            var timeouts = new UserStoreOptions
            {
                TablePrefix = prefix,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                CommandTimeout = TimeSpan.FromSeconds(2),
            };
            Store = new MySqlConversationStore(viaProxy.ConnectionString, timeouts);
        }

        public TcpProxy Proxy { get; }

        public override IConversationStore Store { get; }

        public override Task CutAsync()
        {
            Proxy.Cut();
            return Task.CompletedTask;
        }

        public override Task RestoreAsync()
        {
            Proxy.Restore();
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => Proxy.DisposeAsync();
    }
}
