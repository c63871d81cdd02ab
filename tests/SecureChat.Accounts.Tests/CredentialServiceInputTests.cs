using System.Net;
using SecureChat.Accounts.Tests.Infrastructure;
using SecureChat.Crypto;

namespace SecureChat.Accounts.Tests;

/// <summary>Checks that happen before the store or the hasher is touched, and behaviour that needs no real database.</summary>
public sealed class CredentialServiceInputTests
{
    private const string Password = "correct horse battery staple";
    private static readonly IPAddress Address = IPAddress.Parse("192.0.2.1");

    public static TheoryData<string?> BadEmails => new()
    {
        null,
        "",
        "plainaddress",
        "@example.com",
        "user@",
        "two@@example.com",
        "a@b@example.com",
        "user name@example.com",
        "user@exa mple.com",
        "user\t@example.com",
        "user@example.com\n",
        "user\u0000@example.com",
        "user\u200B@example.com",
        "user@.example.com",
        "user@example..com",
        "user@example.com.",
        new string('a', 65) + "@example.com",
        "user@" + new string('a', 250) + ".com",
    };

    public static TheoryData<string?> BadUsernames => new()
    {
        null,
        "",
        "ab",
        new string('a', 33),
        "has space",
        "semi;colon",
        "ünïcode",
        "new\nline",
        "abc\n",
        "tab\tname",
    };

    public static TheoryData<string?> BadRegistrationPasswords => new()
    {
        null,
        "",
        "short",
        "7chars!",
        new string('p', 1025),
    };

    [Theory]
    [MemberData(nameof(BadEmails))]
    public async Task Malformed_email_is_invalid_input_for_register_and_login(string? email)
    {
        var (service, hashing) = Create();

        var register = await service.RegisterAsync(email!, "valid_name", Password, Address);
        var login = await service.LoginAsync(email!, Password, Address);

        AssertInvalidInput(register, Password);
        AssertInvalidInput(login, Password);
        Assert.Equal(1, hashing.Computations); // only the dummy hash made at construction
    }

    [Theory]
    [MemberData(nameof(BadUsernames))]
    public async Task Malformed_username_is_invalid_input(string? username)
    {
        var (service, hashing) = Create();

        var result = await service.RegisterAsync("user@example.com", username!, Password, Address);

        AssertInvalidInput(result, Password);
        Assert.Equal(1, hashing.Computations);
    }

    [Theory]
    [MemberData(nameof(BadRegistrationPasswords))]
    public async Task Password_outside_8_to_1024_characters_is_invalid_input_and_never_echoed(string? password)
    {
        var (service, hashing) = Create();

        var result = await service.RegisterAsync("user@example.com", "valid_name", password!, Address);

        AssertInvalidInput(result, password);
        Assert.Equal(1, hashing.Computations);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Login_rejects_an_empty_or_oversized_password_before_hashing(string? password)
    {
        var (service, hashing) = Create();

        AssertInvalidInput(await service.LoginAsync("user@example.com", password!, Address), password);
        AssertInvalidInput(await service.LoginAsync("user@example.com", new string('p', 1025), Address), null);
        Assert.Equal(1, hashing.Computations);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("A.b-c_9")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Username_rule_accepts_the_documented_alphabet_and_lengths(string username) =>
        Assert.True(CredentialRules.IsValidUsername(username));

    [Theory]
    [InlineData("a@b")]
    [InlineData("first.last+tag@sub.example.org")]
    [InlineData("ÜSER@bücher.example")]
    public void Email_rule_accepts_ordinary_addresses(string email) => Assert.True(CredentialRules.IsValidEmail(email));

    [Fact]
    public async Task Store_outage_is_reported_as_unavailable_by_both_operations()
    {
        var hashing = new CountingHashing(Argon2Parameters.InsecureForTests);
        var service = new CredentialService(new UnavailableUserStore(), hashing, null, new FakeTimeProvider());

        var register = await service.RegisterAsync("user@example.com", "valid_name", Password, Address);
        var login = await service.LoginAsync("user@example.com", Password, Address);

        Assert.Equal(CredentialOutcome.Unavailable, register.Outcome);
        Assert.Equal(register, login);
    }

    [Fact]
    public void Concurrent_hashing_is_bounded_by_the_policy()
    {
        using var probe = new ConcurrencyProbe();
        var service = new CredentialService(new UnavailableUserStore(findReturnsNull: true), probe, new CredentialPolicy { MaxConcurrentHashes = 2 }, new FakeTimeProvider());
        var results = new CredentialResult[8];

        // Dedicated threads, so the first callers reach the hasher whatever the thread pool is busy with.
        var callers = Enumerable.Range(0, results.Length).Select(i => new Thread(() =>
            results[i] = service.LoginAsync($"u{i}@example.com", Password, IPAddress.Parse($"192.0.2.{i + 1}")).GetAwaiter().GetResult())).ToList();
        callers.ForEach(t => t.Start());
        Assert.True(SpinWait.SpinUntil(() => probe.InFlight == 2, TimeSpan.FromSeconds(10)));
        Thread.Sleep(200);
        var maxWhileBlocked = probe.MaxInFlight;
        probe.Release();
        Assert.All(callers, t => Assert.True(t.Join(TimeSpan.FromSeconds(10))));

        Assert.Equal(2, maxWhileBlocked);
        Assert.Equal(2, probe.MaxInFlight);
        Assert.All(results, r => Assert.Equal(CredentialOutcome.InvalidCredentials, r.Outcome));
    }

    [Fact]
    public void Invalid_policy_is_rejected()
    {
        var store = new ThrowingUserStore();

        Assert.Throws<ArgumentOutOfRangeException>(() => new CredentialService(store, Argon2Parameters.InsecureForTests, new CredentialPolicy { AccountFailureLimit = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CredentialService(store, Argon2Parameters.InsecureForTests, new CredentialPolicy { MaxConcurrentHashes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CredentialService(store, Argon2Parameters.InsecureForTests, new CredentialPolicy { MaxAccountLockout = TimeSpan.FromSeconds(1) }));
    }

    private static (CredentialService Service, CountingHashing Hashing) Create()
    {
        var hashing = new CountingHashing(Argon2Parameters.InsecureForTests);
        return (new CredentialService(new ThrowingUserStore(), hashing, null, new FakeTimeProvider()), hashing);
    }

    private static void AssertInvalidInput(CredentialResult result, string? password)
    {
        Assert.Equal(CredentialOutcome.InvalidInput, result.Outcome);
        Assert.Null(result.Username);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        if (!string.IsNullOrEmpty(password))
        {
            Assert.DoesNotContain(password, result.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A store whose database is down (or, for lookups, empty).</summary>
    private sealed class UnavailableUserStore(bool findReturnsNull = false) : IUserStore
    {
        public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => Down<bool>();

        public Task<CreateUserResult> CreateAsync(UserRecord user, CancellationToken cancellationToken = default) => Down<CreateUserResult>();

        public Task<UserRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
            findReturnsNull ? Task.FromResult<UserRecord?>(null) : Down<UserRecord?>();

        public Task<UserRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default) => Down<UserRecord?>();

        public Task<ThrottleState> RecordFailureAsync(long userId, CancellationToken cancellationToken = default) => Down<ThrottleState>();

        public Task LockUntilAsync(long userId, long lockedUntilMs, CancellationToken cancellationToken = default) => Down<bool>();

        public Task ResetFailuresAsync(long userId, CancellationToken cancellationToken = default) => Down<bool>();

        public Task UpdatePasswordHashAsync(long userId, byte[] salt, string passwordHash, CancellationToken cancellationToken = default) => Down<bool>();

        private static Task<T> Down<T>() => Task.FromException<T>(new UserStoreUnavailableException());
    }

    /// <summary>Hashing that holds every verification until released and records how many overlap.</summary>
    private sealed class ConcurrencyProbe : IPasswordHashing, IDisposable
    {
        private readonly IPasswordHashing _inner = new CountingHashing(Argon2Parameters.InsecureForTests);
        private readonly ManualResetEventSlim _gate = new();
        private int _inFlight;
        private int _maxInFlight;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public void Release() => _gate.Set();

        public string Hash(string password) => _inner.Hash(password);

        public bool Verify(string password, string encoded)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }

            _gate.Wait(TimeSpan.FromSeconds(10));
            Interlocked.Decrement(ref _inFlight);
            return _inner.Verify(password, encoded);
        }

        public bool NeedsRehash(string encoded) => _inner.NeedsRehash(encoded);

        public void Dispose() => _gate.Dispose();
    }
}
