using Microsoft.Data.Sqlite;
using SecureChat.Accounts.Conversations;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>The conversation contract over SQLite: each test gets its own database file in a fresh temporary directory.</summary>
public sealed class SqliteConversationStoreTests : ConversationStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "securechat-storage-tests", Guid.NewGuid().ToString("N"));

    // A nested directory that does not exist yet: EnsureSchemaAsync must create it.
    private string DatabasePath => Path.Combine(_root, "data", "chat.db");

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private protected override SqlConversationStore OpenStore(UserStoreOptions? options = null) => new SqliteConversationStore(DatabasePath, options);

    private protected override SqlUserStore OpenUserStore() => new SqliteUserStore(DatabasePath);

    private protected override SqlConversationStore OpenUnreachableStore()
    {
        // A regular file where the database's directory should be: the database can be neither opened nor made.
        var blocker = Path.Combine(_root, "blocked");
        File.WriteAllText(blocker, "not a directory");
        return new SqliteConversationStore(Path.Combine(blocker, "chat.db"));
    }

    private protected override Task<ConversationOutageRig> OpenOutageRigAsync() =>
        Task.FromResult<ConversationOutageRig>(new LockRig(OpenStore(new UserStoreOptions { CommandTimeout = TimeSpan.FromSeconds(1) }), DatabasePath));

    private protected override async Task<object?> ScalarRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Database_uses_the_write_ahead_log() => Assert.Equal("wal", await ScalarRawAsync("PRAGMA journal_mode"));

    [Fact]
    public void Database_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
    }

    [Fact]
    public async Task Unopenable_path_is_unavailable_until_it_is_fixed()
    {
        var blocker = Path.Combine(_root, "blocked");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var store = new SqliteConversationStore(Path.Combine(blocker, "chat.db"));

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.EnsureSchemaAsync()));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.StoreAsync([Message("#ops", "alice", 1, "x")])));
        File.Delete(blocker);
        await store.EnsureSchemaAsync();

        Assert.Single(await store.StoreAsync([Message("#ops", "alice", 1, "fixed")]));
        Assert.Equal("fixed", Assert.Single(await store.HistoryAsync("#ops", 5)).Body);
    }

    [Fact]
    public async Task Reads_continue_while_another_connection_holds_the_write_lock()
    {
        await Store.JoinAsync("#ops", "alice", 1);
        await Store.StoreAsync([Message("#ops", "alice", 1, "readable", "bob")]);
        await using var rig = await OpenOutageRigAsync();

        await rig.CutAsync();

        Assert.Single(await Bounded(rig.Store.HistoryAsync("#ops", 5)));
        Assert.Single(await Bounded(rig.Store.PendingAsync("bob", 5)));
        Assert.Equal(["alice"], await Bounded(rig.Store.MembersOfAsync("#ops")));
    }

    [Fact]
    public async Task A_call_cancelled_while_queued_behind_a_blocked_batch_is_not_stored()
    {
        await using var writeLock = new SqliteWriteLock(DatabasePath);
        await writeLock.TakeAsync();
        var blocked = Store.StoreAsync([Message("#ops", "alice", 1, "first")]);
        while (Store.QueuedWrites > 0)
        {
            // The first call's batch has claimed it and now waits for the write lock.
            await Task.Delay(10);
        }

        using var cancel = new CancellationTokenSource();
        var queued = Store.StoreAsync([Message("#ops", "alice", 2, "cancelled")], cancel.Token);
        await cancel.CancelAsync();

        await Bounded(Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued));
        Assert.False(blocked.IsCompleted);
        await writeLock.ReleaseAsync();

        Assert.Single(await Bounded(blocked));
        Assert.Equal(["first"], (await Store.HistoryAsync("#ops", 5)).Select(m => m.Body));
    }

    /// <summary>Simulates an unavailable SQLite database by holding its write lock from another connection.</summary>
    private sealed class LockRig(SqlConversationStore store, string path) : ConversationOutageRig
    {
        private readonly SqliteWriteLock _lock = new(path);

        public override IConversationStore Store => store;

        public override Task CutAsync() => _lock.TakeAsync();

        public override Task RestoreAsync() => _lock.ReleaseAsync();

        public override ValueTask DisposeAsync() => _lock.DisposeAsync();
    }
}
