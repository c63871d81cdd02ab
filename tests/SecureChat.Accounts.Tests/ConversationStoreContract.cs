using SecureChat.Accounts.Conversations;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>The behaviour every <see cref="IConversationStore"/> backend must show, run once per backend by a derived class.</summary>
/// <remarks>Each test gets fresh storage (a new SQLite file, or new MariaDB tables under a unique prefix) from the derived class.</remarks>
public abstract partial class ConversationStoreContract : IAsyncLifetime
{
    // Generous next to the 1-2 s timeouts the outage tests configure: it proves "no hang", it is not a speed claim.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private protected SqlConversationStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Store = OpenStore();
        await Store.EnsureSchemaAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Opens a new store instance over this test's storage (same file or database, same tables).</summary>
    private protected abstract SqlConversationStore OpenStore(UserStoreOptions? options = null);

    /// <summary>Opens a user store over this test's storage (same file or database, same table prefix).</summary>
    private protected abstract SqlUserStore OpenUserStore();

    /// <summary>Opens a store whose database cannot be reached at all.</summary>
    private protected abstract SqlConversationStore OpenUnreachableStore();

    /// <summary>Opens a store over this test's storage (schema already present) whose database the rig can cut.</summary>
    private protected abstract Task<ConversationOutageRig> OpenOutageRigAsync();

    /// <summary>Runs one statement directly against this test's database, bypassing the store, and returns its first value.</summary>
    private protected abstract Task<object?> ScalarRawAsync(string sql);

    private protected static NewMessage Message(string thread, string author, long storedMs, string body, params string[] pendingFor) =>
        new(thread, author, storedMs, body, pendingFor);

    private protected static async Task<T> Bounded<T>(Task<T> task) => await task.WaitAsync(Bound);

    private protected static async Task Bounded(Task task) => await task.WaitAsync(Bound);

    private protected async Task<long> CountRowsAsync(string table) =>
        Convert.ToInt64(await ScalarRawAsync($"SELECT COUNT(*) FROM {Store.Options.TablePrefix}{table}"), System.Globalization.CultureInfo.InvariantCulture);

    [BackendFact]
    public async Task Schema_creation_is_idempotent_and_keeps_the_data()
    {
        await Store.EnsureSchemaAsync();
        await OpenStore().EnsureSchemaAsync();
        await Store.JoinAsync("#ops", "alice", 1_000);
        var ids = await Store.StoreAsync([Message("#ops", "alice", 1_000, "hello")]);
        await Store.EnsureSchemaAsync();

        Assert.Equal(SqlConversationStore.CurrentSchemaVersion, await Store.GetSchemaVersionAsync());
        Assert.Equal(["alice"], await Store.MembersOfAsync("#ops"));
        Assert.Equal(ids, (await Store.HistoryAsync("#ops", 10)).Select(m => m.Id));
    }

    [BackendFact]
    public async Task Concurrent_schema_creation_on_empty_storage_is_safe()
    {
        var fresh = new UserStoreOptions { TablePrefix = "fresh_" };
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore(fresh)).ToList();

        await Task.WhenAll(stores.Select(store => Task.Run(() => store.EnsureSchemaAsync())));

        Assert.Equal(SqlConversationStore.CurrentSchemaVersion, await stores[0].GetSchemaVersionAsync());
        Assert.True(await stores[1].JoinAsync("#fresh", "alice", 1));
        Assert.Single(await stores[2].StoreAsync([Message("#fresh", "alice", 1, "first")]));
        Assert.Single(await stores[3].HistoryAsync("#fresh", 5));
    }

    [BackendFact]
    public async Task Schema_newer_than_this_build_is_refused_not_reported_as_an_outage()
    {
        await ScalarRawAsync($"INSERT INTO {Store.Options.TablePrefix}conversation_schema (version, applied_ms) VALUES ({SqlConversationStore.CurrentSchemaVersion + 1}, 0)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStore().EnsureSchemaAsync());

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [BackendFact]
    public async Task Shares_its_database_with_the_user_store()
    {
        var users = OpenUserStore();
        await users.EnsureSchemaAsync();
        await Store.EnsureSchemaAsync();

        var created = await users.CreateAsync(new UserRecord(0, "alice@example.com", "alice", new byte[16], "$argon2id$x", 1, ThrottleState.None));
        Assert.True(created.Created);
        Assert.True(await Store.JoinAsync("#ops", "alice", 1));
        Assert.Equal(SqlUserStore.CurrentSchemaVersion, await users.GetSchemaVersionAsync());
        Assert.Equal(SqlConversationStore.CurrentSchemaVersion, await Store.GetSchemaVersionAsync());
        Assert.NotNull(await users.FindByUsernameAsync("alice"));
    }

    [BackendFact]
    public async Task Join_creates_the_room_and_a_second_join_reports_no_change()
    {
        Assert.False(await Store.RoomExistsAsync("#ops"));

        Assert.True(await Store.JoinAsync("#ops", "alice", 1_000));
        Assert.False(await Store.JoinAsync("#ops", "alice", 2_000));
        Assert.True(await Store.JoinAsync("#ops", "bob", 3_000));

        Assert.True(await Store.RoomExistsAsync("#ops"));
        Assert.Equal(["alice", "bob"], await Store.MembersOfAsync("#ops"));
        Assert.Equal(1, await CountRowsAsync("rooms"));
    }

    [BackendFact]
    public async Task Concurrent_joins_of_a_new_room_create_it_once_and_count_each_member_once()
    {
        var sameUser = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.JoinAsync("#race", "alice", 1))));
        var others = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.JoinAsync("#race2", $"user{i}", 1))));

        Assert.Single(sameUser, joined => joined);
        Assert.All(others, Assert.True);
        Assert.Equal(8, (await Store.MembersOfAsync("#race2")).Count);
        Assert.Equal(2, await CountRowsAsync("rooms"));
    }

    [BackendFact]
    public async Task Leave_removes_the_membership_and_the_room_keeps_its_history()
    {
        await Store.JoinAsync("#ops", "alice", 1);
        await Store.JoinAsync("#ops", "bob", 1);
        await Store.JoinAsync("#dev", "alice", 1);
        await Store.StoreAsync([Message("#ops", "alice", 10, "kept")]);

        Assert.True(await Store.LeaveAsync("#ops", "alice"));
        Assert.False(await Store.LeaveAsync("#ops", "alice"));
        Assert.False(await Store.LeaveAsync("#nowhere", "alice"));
        Assert.Equal(["bob"], await Store.MembersOfAsync("#ops"));
        Assert.Equal(["#dev"], await Store.RoomsOfAsync("alice"));

        Assert.True(await Store.LeaveAsync("#ops", "bob"));

        Assert.True(await Store.RoomExistsAsync("#ops"));
        Assert.Empty(await Store.MembersOfAsync("#ops"));
        Assert.Equal("kept", Assert.Single(await Store.HistoryAsync("#ops", 10)).Body);
        Assert.True(await Store.JoinAsync("#ops", "bob", 2));
    }

    [BackendFact]
    public async Task Rooms_and_members_are_ordinal_sorted_and_names_are_case_sensitive()
    {
        foreach (var room in new[] { "#ops", "#ärger", "#a", "#Ops" })
        {
            await Store.JoinAsync(room, "bob", 1);
        }

        foreach (var user in new[] { "alice", "Zed", "Alice" })
        {
            await Store.JoinAsync("#ops", user, 1);
        }

        Assert.Equal(["#Ops", "#a", "#ops", "#ärger"], await Store.RoomsOfAsync("bob"));
        Assert.Equal(["Alice", "Zed", "alice", "bob"], await Store.MembersOfAsync("#ops"));
        Assert.Equal(["bob"], await Store.MembersOfAsync("#Ops"));
        Assert.False(await Store.RoomExistsAsync("#OPS"));
        Assert.Empty(await Store.MembersOfAsync("#nothing"));
        Assert.Empty(await Store.RoomsOfAsync("nobody"));
        Assert.Empty(await Store.RoomsOfAsync("BOB"));
    }

    [BackendFact]
    public async Task Memberships_survive_a_new_store_instance()
    {
        await Store.JoinAsync("#ops", "alice", 1);
        await Store.JoinAsync("#dev", "alice", 1);
        await Store.JoinAsync("#ops", "bob", 1);

        var reopened = OpenStore();
        await reopened.EnsureSchemaAsync();

        Assert.Equal(["#dev", "#ops"], await reopened.RoomsOfAsync("alice"));
        Assert.Equal(["alice", "bob"], await reopened.MembersOfAsync("#ops"));
        Assert.False(await reopened.JoinAsync("#ops", "bob", 2));
    }

    [BackendFact]
    public async Task Caller_cancellation_is_not_reported_as_an_outage_and_stores_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.StoreAsync([Message("#ops", "alice", 1, "never")], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.JoinAsync("#ops", "alice", 1, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.HistoryAsync("#ops", 5, cancelled.Token));

        Assert.Empty(await Store.HistoryAsync("#ops", 5));
        Assert.False(await Store.RoomExistsAsync("#ops"));
    }

    [BackendFact]
    public async Task Outage_is_reported_promptly_and_the_store_recovers_when_the_database_returns()
    {
        await using var rig = await OpenOutageRigAsync();
        var store = rig.Store;
        Assert.True(await store.JoinAsync("#ops", "alice", 1));
        var before = await store.StoreAsync([Message("#ops", "alice", 1, "before", "bob")]);

        await rig.CutAsync();

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.StoreAsync([Message("#ops", "alice", 2, "during", "bob")])));
        var concurrent = Enumerable.Range(0, 4).Select(i => store.StoreAsync([Message("#ops", "alice", 2, $"during {i}")])).ToList();
        foreach (var call in concurrent)
        {
            await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => call));
        }

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.JoinAsync("#ops", "bob", 2)));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.MarkDeliveredAsync("bob", before)));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.PurgeAsync(100)));

        await rig.RestoreAsync();

        var after = await Bounded(store.StoreAsync([Message("#ops", "alice", 3, "after", "bob")]));
        Assert.True(after[0] > before[0]);
        Assert.True(await Bounded(store.JoinAsync("#ops", "bob", 3)));
        Assert.Equal(["before", "after"], (await Bounded(store.HistoryAsync("#ops", 10))).Select(m => m.Body));
        Assert.Equal(["before", "after"], (await Bounded(store.PendingAsync("bob", 10))).Select(m => m.Body));
    }
}

/// <summary>A conversation store over a test's storage plus the means to take its database away and give it back.</summary>
internal abstract class ConversationOutageRig : IAsyncDisposable
{
    public abstract IConversationStore Store { get; }

    public abstract Task CutAsync();

    public abstract Task RestoreAsync();

    public abstract ValueTask DisposeAsync();
}
