using Microsoft.Data.Sqlite;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>The contract over SQLite: each test gets its own database file in a fresh temporary directory.</summary>
public sealed class SqliteUserStoreTests : UserStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "securechat-storage-tests", Guid.NewGuid().ToString("N"));

    // A nested directory that does not exist yet: EnsureSchemaAsync must create it.
    private string DatabasePath => Path.Combine(_root, "data", "users.db");

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private protected override SqlUserStore OpenStore(UserStoreOptions? options = null) => new SqliteUserStore(DatabasePath, options);

    private protected override Task<OutageRig> OpenOutageRigAsync() =>
        Task.FromResult<OutageRig>(new LockRig(OpenStore(new UserStoreOptions { CommandTimeout = TimeSpan.FromSeconds(1) }), DatabasePath));

    private protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Database_uses_the_write_ahead_log()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Unopenable_path_is_unavailable_until_it_is_fixed()
    {
        // A regular file where the database's directory should be: neither the directory nor the file can be made.
        var blocker = Path.Combine(_root, "blocked");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var store = new SqliteUserStore(Path.Combine(blocker, "users.db"));

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.EnsureSchemaAsync()));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.FindByEmailAsync("x@example.com")));
        File.Delete(blocker);
        await store.EnsureSchemaAsync();

        Assert.True((await store.CreateAsync(NewUser("fixed@example.com", "fixed"))).Created);
        Assert.NotNull(await store.FindByEmailAsync("fixed@example.com"));
    }

    [Fact]
    public async Task Reads_continue_while_another_connection_holds_the_write_lock()
    {
        await CreateUserAsync("reader@example.com", "reader");
        await using var rig = await OpenOutageRigAsync();

        await rig.CutAsync();

        Assert.NotNull(await Bounded(rig.Store.FindByEmailAsync("reader@example.com")));
    }

    /// <summary>Simulates an unavailable SQLite database by holding its write lock from another connection.</summary>
    private sealed class LockRig(SqlUserStore store, string path) : OutageRig
    {
        private readonly SqliteWriteLock _lock = new(path);

        public override IUserStore Store => store;

        public override Task CutAsync() => _lock.TakeAsync();

        public override Task RestoreAsync() => _lock.ReleaseAsync();

        public override ValueTask DisposeAsync() => _lock.DisposeAsync();
    }
}
