using MySqlConnector;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>The contract over MariaDB (<c>SECURECHAT_TEST_MYSQL</c>).</summary>
/// <remarks>
/// The test user has rights on one database only, so tests are isolated by table prefix: every test creates its tables
/// under a prefix of its own (<c>t&lt;12 hex&gt;_</c>) and drops every table with that prefix when it ends.
/// Tables left by an aborted run carry a prefix no later run uses, so they never disturb a test.
/// </remarks>
[RequiresMySql]
public sealed class MySqlUserStoreTests : UserStoreContract
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

    private protected override SqlUserStore OpenStore(UserStoreOptions? options = null)
    {
        options ??= UserStoreOptions.Default;
        return new MySqlUserStore(ConnectionString, options with { TablePrefix = _prefix + options.TablePrefix });
    }

    private protected override Task<OutageRig> OpenOutageRigAsync() => Task.FromResult<OutageRig>(new ProxyRig(this));

    private protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [BackendFact]
    public async Task Tables_are_InnoDB_utf8mb4_with_unique_keys()
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.engine, t.table_collation,
                   (SELECT GROUP_CONCAT(DISTINCT s.index_name ORDER BY s.index_name) FROM information_schema.statistics s
                    WHERE s.table_schema = t.table_schema AND s.table_name = t.table_name AND s.non_unique = 0)
            FROM information_schema.tables t WHERE t.table_schema = DATABASE() AND t.table_name = @table
            """;
        command.Parameters.AddWithValue("@table", _prefix + "users");
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal("InnoDB", reader.GetString(0));
        Assert.StartsWith("utf8mb4", reader.GetString(1), StringComparison.Ordinal);
        Assert.Equal("PRIMARY,uq_email,uq_username_key", reader.GetString(2));
    }

    [BackendFact]
    public async Task Silently_dropping_network_times_out_instead_of_hanging_and_recovers()
    {
        await using var rig = new ProxyRig(this);
        await CreateUserAsync("blackhole@example.com", "blackhole");
        Assert.NotNull(await rig.Store.FindByEmailAsync("blackhole@example.com"));

        rig.Proxy.Blackhole();

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => rig.Store.FindByEmailAsync("blackhole@example.com")));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => rig.Store.FindByEmailAsync("blackhole@example.com")));
        rig.Proxy.Restore();
        Assert.NotNull(await Bounded(rig.Store.FindByEmailAsync("blackhole@example.com")));
    }

    /// <summary>Puts a cuttable TCP proxy between a store and MariaDB.</summary>
    private sealed class ProxyRig : OutageRig
    {
        public ProxyRig(MySqlUserStoreTests test)
        {
            var upstream = new MySqlConnectionStringBuilder(ConnectionString);
            Proxy = new TcpProxy(upstream.Server, (int)upstream.Port);
            var viaProxy = new MySqlConnectionStringBuilder(ConnectionString) { Server = "127.0.0.1", Port = (uint)Proxy.Port };
            var timeouts = new UserStoreOptions
            {
                TablePrefix = test._prefix,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                CommandTimeout = TimeSpan.FromSeconds(2),
            };
            Store = new MySqlUserStore(viaProxy.ConnectionString, timeouts);
        }

        public TcpProxy Proxy { get; }

        public override IUserStore Store { get; }

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
