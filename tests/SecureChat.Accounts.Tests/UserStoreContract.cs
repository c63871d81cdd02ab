using System.Net;
using SecureChat.Accounts.Tests.Infrastructure;
using SecureChat.Crypto;

namespace SecureChat.Accounts.Tests;

/// <summary>The behaviour every <see cref="IUserStore"/> backend must show, run once per backend by a derived class.</summary>
/// <remarks>Each test gets fresh storage (a new SQLite file, or new MariaDB tables under a unique prefix) from the derived class.</remarks>
public abstract partial class UserStoreContract : IAsyncLifetime
{
    protected const string Password = "correct horse battery staple";
    protected static readonly IPAddress Address = IPAddress.Parse("192.0.2.10");

    // Generous next to the 1-2 s timeouts the outage tests configure: it proves "no hang", it is not a speed claim.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly PasswordHasher Hasher = new(Argon2Parameters.InsecureForTests, IEntropySource.System);

    private protected SqlUserStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Store = OpenStore();
        await Store.EnsureSchemaAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Opens a new store instance over this test's storage (same file or database, same tables).</summary>
    private protected abstract SqlUserStore OpenStore(UserStoreOptions? options = null);

    /// <summary>Opens a store over this test's storage (schema already present) whose database the rig can cut.</summary>
    private protected abstract Task<OutageRig> OpenOutageRigAsync();

    /// <summary>Runs one statement directly against this test's database, bypassing the store.</summary>
    private protected abstract Task ExecuteRawAsync(string sql);

    private protected static UserRecord NewUser(string email, string username)
    {
        var hash = Hasher.Hash(Password);
        Assert.True(PasswordHasher.TryParse(hash, out _, out var salt, out _));
        return new UserRecord(0, email, username, salt, hash, 1_900_000_000_000, ThrottleState.None);
    }

    private protected static async Task<T> Bounded<T>(Task<T> task) => await task.WaitAsync(Bound);

    private protected async Task<long> CreateUserAsync(string email, string username)
    {
        var result = await Store.CreateAsync(NewUser(email, username));
        Assert.True(result.Created);
        return result.UserId;
    }

    private protected async Task<UserRecord> ReadAsync(string email) =>
        await Store.FindByEmailAsync(email) ?? throw new InvalidOperationException($"{email} is not stored.");

    [BackendFact]
    public async Task Schema_creation_is_idempotent()
    {
        await Store.EnsureSchemaAsync();
        await OpenStore().EnsureSchemaAsync();
        var id = await CreateUserAsync("idem@example.com", "idem");
        await Store.EnsureSchemaAsync();

        Assert.Equal(SqlUserStore.CurrentSchemaVersion, await Store.GetSchemaVersionAsync());
        Assert.Equal(id, (await ReadAsync("idem@example.com")).Id);
    }

    [BackendFact]
    public async Task Concurrent_schema_creation_on_empty_storage_is_safe()
    {
        var fresh = new UserStoreOptions { TablePrefix = "fresh_" };
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore(fresh)).ToList();

        await Task.WhenAll(stores.Select(store => Task.Run(() => store.EnsureSchemaAsync())));

        Assert.Equal(SqlUserStore.CurrentSchemaVersion, await stores[0].GetSchemaVersionAsync());
        Assert.True((await stores[1].CreateAsync(NewUser("fresh@example.com", "fresh"))).Created);
    }

    [BackendFact]
    public async Task Schema_newer_than_this_build_is_refused_not_reported_as_an_outage()
    {
        await ExecuteRawAsync($"INSERT INTO {Store.Options.TablePrefix}schema_version (version, applied_ms) VALUES ({SqlUserStore.CurrentSchemaVersion + 1}, 0)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenStore().EnsureSchemaAsync());

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [BackendFact]
    public async Task Caller_cancellation_is_not_reported_as_an_outage()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.FindByEmailAsync("x@example.com", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateAsync(NewUser("x@example.com", "xname"), cancelled.Token));
    }

    [BackendFact]
    public async Task Created_account_is_found_with_every_field()
    {
        var user = NewUser("Alice.Smith@Example.COM", "Alice_S");

        var created = await Store.CreateAsync(user);

        Assert.True(created.Created);
        Assert.True(created.UserId > 0);
        var found = await ReadAsync("alice.smith@example.com");
        Assert.Equal(created.UserId, found.Id);
        Assert.Equal("alice.smith@example.com", found.Email);
        Assert.Equal("Alice_S", found.Username);
        Assert.Equal(user.Salt, found.Salt);
        Assert.Equal(16, found.Salt.Length);
        Assert.Equal(user.PasswordHash, found.PasswordHash);
        Assert.Equal(user.CreatedMs, found.CreatedMs);
        Assert.Equal(ThrottleState.None, found.Throttle);
        Assert.Equal(found.Id, (await ReadAsync("ALICE.SMITH@EXAMPLE.COM")).Id);
        var byName = await Store.FindByUsernameAsync("alice_s");
        Assert.Equal(found.Id, byName?.Id);
        Assert.Equal("Alice_S", byName?.Username);
    }

    [BackendFact]
    public async Task Unknown_account_is_not_found()
    {
        await CreateUserAsync("someone@example.com", "someone");

        Assert.Null(await Store.FindByEmailAsync("nobody@example.com"));
        Assert.Null(await Store.FindByUsernameAsync("nobody"));
    }

    [BackendFact]
    public async Task Email_is_unique_regardless_of_case()
    {
        await CreateUserAsync("carol@example.com", "carol");

        var duplicate = await Store.CreateAsync(NewUser("CAROL@Example.com", "carol2"));

        Assert.Equal(new CreateUserResult(CreateUserStatus.DuplicateEmail, 0), duplicate);
        Assert.Null(await Store.FindByUsernameAsync("carol2"));
    }

    [BackendFact]
    public async Task Username_is_unique_regardless_of_case()
    {
        await CreateUserAsync("dave@example.com", "dave.d");

        var duplicate = await Store.CreateAsync(NewUser("other@example.com", "DAVE.D"));

        Assert.Equal(new CreateUserResult(CreateUserStatus.DuplicateUsername, 0), duplicate);
        Assert.Null(await Store.FindByEmailAsync("other@example.com"));
    }

    [BackendFact]
    public async Task Email_that_looks_like_a_key_name_is_still_classified_by_the_key_it_hit()
    {
        await CreateUserAsync("uq_username_key@example.com", "keyname");

        var duplicate = await Store.CreateAsync(NewUser("uq_username_key@example.com", "another"));

        Assert.Equal(CreateUserStatus.DuplicateEmail, duplicate.Status);
    }

    [BackendFact]
    public async Task Concurrent_duplicate_registrations_let_exactly_one_win()
    {
        var sameEmail = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.CreateAsync(NewUser("race@example.com", $"racer{i}")))));
        var sameName = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.CreateAsync(NewUser($"runner{i}@example.com", "runner")))));

        Assert.Single(sameEmail, r => r.Created);
        Assert.All(sameEmail.Where(r => !r.Created), r => Assert.Equal(CreateUserStatus.DuplicateEmail, r.Status));
        Assert.Single(sameName, r => r.Created);
        Assert.All(sameName.Where(r => !r.Created), r => Assert.Equal(CreateUserStatus.DuplicateUsername, r.Status));
    }

    [BackendFact]
    public async Task Concurrent_failures_are_all_counted()
    {
        var id = await CreateUserAsync("counted@example.com", "counted");

        var states = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Store.RecordFailureAsync(id))));

        Assert.Equal(Enumerable.Range(1, 10), states.Select(s => s.FailedCount).Order());
        Assert.Equal(10, (await ReadAsync("counted@example.com")).Throttle.FailedCount);
    }

    [BackendFact]
    public async Task Lock_only_ever_extends_and_reset_clears_the_throttle_state()
    {
        var id = await CreateUserAsync("locked@example.com", "locked");

        Assert.Equal(new ThrottleState(1, 0), await Store.RecordFailureAsync(id));
        await Store.LockUntilAsync(id, 5_000);
        await Store.LockUntilAsync(id, 3_000);
        Assert.Equal(new ThrottleState(1, 5_000), (await ReadAsync("locked@example.com")).Throttle);
        await Store.LockUntilAsync(id, 9_000);
        Assert.Equal(new ThrottleState(2, 9_000), await Store.RecordFailureAsync(id));

        await Store.ResetFailuresAsync(id);

        Assert.Equal(ThrottleState.None, (await ReadAsync("locked@example.com")).Throttle);
        Assert.Equal(ThrottleState.None, await Store.RecordFailureAsync(id + 1000));
    }

    [BackendFact]
    public async Task Accounts_and_throttle_state_survive_reopening_the_store()
    {
        var id = await CreateUserAsync("durable@example.com", "durable");
        await Store.RecordFailureAsync(id);
        await Store.RecordFailureAsync(id);
        await Store.LockUntilAsync(id, 123_456);
        var before = await ReadAsync("durable@example.com");

        var reopened = OpenStore();
        await reopened.EnsureSchemaAsync();
        var after = await reopened.FindByEmailAsync("durable@example.com");

        Assert.NotNull(after);
        Assert.Equal(before with { Salt = after.Salt }, after);
        Assert.Equal(before.Salt, after.Salt);
        Assert.Equal(new ThrottleState(2, 123_456), after.Throttle);
    }

    [BackendFact]
    public async Task Password_hash_and_salt_can_be_replaced()
    {
        var id = await CreateUserAsync("rehash@example.com", "rehash");
        var replacement = NewUser("unused@example.com", "unused");

        await Store.UpdatePasswordHashAsync(id, replacement.Salt, replacement.PasswordHash);

        var found = await ReadAsync("rehash@example.com");
        Assert.Equal(replacement.Salt, found.Salt);
        Assert.Equal(replacement.PasswordHash, found.PasswordHash);
    }

    [BackendFact]
    public async Task Outage_is_reported_promptly_and_the_store_recovers_when_the_database_returns()
    {
        await using var rig = await OpenOutageRigAsync();
        var harness = new CredentialHarness(rig.Store);
        Assert.True((await harness.Service.RegisterAsync("before@example.com", "before", Password, Address)).Succeeded);

        await rig.CutAsync();

        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => rig.Store.CreateAsync(NewUser("during@example.com", "during"))));
        Assert.Equal(CredentialOutcome.Unavailable, (await Bounded(harness.Service.RegisterAsync("during@example.com", "during", Password, Address))).Outcome);
        Assert.Equal(CredentialOutcome.Unavailable, (await Bounded(harness.Service.LoginAsync("before@example.com", "not the password", Address))).Outcome);

        await rig.RestoreAsync();

        Assert.True((await Bounded(rig.Store.CreateAsync(NewUser("after@example.com", "after")))).Created);
        Assert.Equal(CredentialOutcome.Ok, (await Bounded(harness.Service.LoginAsync("before@example.com", Password, Address))).Outcome);
        Assert.True((await Bounded(harness.Service.RegisterAsync("during@example.com", "during", Password, Address))).Succeeded);
    }
}

/// <summary>A store over a test's storage plus the means to take its database away and give it back.</summary>
internal abstract class OutageRig : IAsyncDisposable
{
    public abstract IUserStore Store { get; }

    public abstract Task CutAsync();

    public abstract Task RestoreAsync();

    public abstract ValueTask DisposeAsync();
}
