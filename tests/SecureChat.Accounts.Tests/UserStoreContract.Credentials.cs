using System.Net;
using SecureChat.Accounts.Tests.Infrastructure;
using SecureChat.Crypto;

namespace SecureChat.Accounts.Tests;

/// <summary>The credential service's behaviour over each backend.</summary>
public abstract partial class UserStoreContract
{
    private const string WrongPassword = "not the password";

    [BackendFact]
    public async Task Registered_user_logs_in_and_gets_the_stored_username()
    {
        var h = new CredentialHarness(Store);

        var registered = await h.Service.RegisterAsync("Bob@Example.com", "Bob", Password, Address);
        var login = await h.Service.LoginAsync("bob@example.com", Password, Address);
        var upperCase = await h.Service.LoginAsync("BOB@EXAMPLE.COM", Password, Address);

        Assert.Equal(new CredentialResult(CredentialOutcome.Ok, "Bob", "Registered."), registered);
        Assert.Equal(new CredentialResult(CredentialOutcome.Ok, "Bob", "Logged in."), login);
        Assert.Equal(login, upperCase);
    }

    [BackendFact]
    public async Task Registration_stores_an_argon2id_hash_and_its_salt_never_the_password()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("erin@example.com", "erin", Password, Address);

        var stored = await ReadAsync("erin@example.com");

        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", stored.PasswordHash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.TryParse(stored.PasswordHash, out _, out var phcSalt, out _));
        Assert.Equal(phcSalt, stored.Salt);
        Assert.Equal(PasswordHasher.SaltLength, stored.Salt.Length);
        Assert.DoesNotContain(Password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(h.Clock.NowMs, stored.CreatedMs);
    }

    [BackendFact]
    public async Task Taken_email_or_username_gives_UserExists()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("frank@example.com", "frank", Password, Address);

        var sameEmail = await h.Service.RegisterAsync("FRANK@example.com", "frank2", Password, Address);
        var sameName = await h.Service.RegisterAsync("frank2@example.com", "FRANK", Password, Address);

        Assert.Equal(CredentialOutcome.UserExists, sameEmail.Outcome);
        Assert.Equal(CredentialOutcome.UserExists, sameName.Outcome);
        Assert.Null(sameEmail.Username);
        Assert.DoesNotContain(Password, sameEmail.Message, StringComparison.Ordinal);
    }

    [BackendFact]
    public async Task Wrong_password_and_unknown_email_are_indistinguishable()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("grace@example.com", "grace", Password, Address);
        var (hashes, verifications) = (h.Hashing.Hashes, h.Hashing.Verifications);

        var wrongPassword = await h.Service.LoginAsync("grace@example.com", WrongPassword, Address);
        var afterWrongPassword = h.Hashing.Verifications;
        var unknownEmail = await h.Service.LoginAsync("nobody@example.com", WrongPassword, Address);

        Assert.Equal(CredentialOutcome.InvalidCredentials, wrongPassword.Outcome);
        Assert.Equal(wrongPassword, unknownEmail);
        Assert.Equal(1, afterWrongPassword - verifications);
        Assert.Equal(1, h.Hashing.Verifications - afterWrongPassword);
        Assert.Equal(hashes, h.Hashing.Hashes);
    }

    [BackendFact]
    public async Task Locked_account_is_refused_before_hashing_until_the_lock_expires()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("heidi@example.com", "heidi", Password, Address);
        for (var i = 0; i < CredentialPolicy.Default.AccountFailureLimit; i++)
        {
            Assert.Equal(CredentialOutcome.InvalidCredentials, (await h.Service.LoginAsync("heidi@example.com", WrongPassword, Address)).Outcome);
        }

        var computations = h.Hashing.Computations;
        var refused = await h.Service.LoginAsync("heidi@example.com", Password, Address);

        Assert.Equal(CredentialOutcome.RateLimited, refused.Outcome);
        Assert.Equal(computations, h.Hashing.Computations);
        Assert.Equal(new ThrottleState(5, h.Clock.NowMs + 30_000), (await ReadAsync("heidi@example.com")).Throttle);

        h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CredentialOutcome.Ok, (await h.Service.LoginAsync("heidi@example.com", Password, Address)).Outcome);
        Assert.Equal(ThrottleState.None, (await ReadAsync("heidi@example.com")).Throttle);
    }

    [BackendFact]
    public async Task Lockout_doubles_with_each_further_failure_up_to_the_cap()
    {
        var policy = new CredentialPolicy { AccountFailureLimit = 2, AccountLockout = TimeSpan.FromSeconds(10), MaxAccountLockout = TimeSpan.FromSeconds(25) };
        var h = new CredentialHarness(Store, policy);
        await h.Service.RegisterAsync("ivan@example.com", "ivan", Password, Address);
        await h.Service.LoginAsync("ivan@example.com", WrongPassword, Address);
        var lockSeconds = new List<long>();

        foreach (var wait in new[] { 0, 10, 20, 25 })
        {
            h.Clock.Advance(TimeSpan.FromSeconds(wait));
            Assert.Equal(CredentialOutcome.InvalidCredentials, (await h.Service.LoginAsync("ivan@example.com", WrongPassword, Address)).Outcome);
            lockSeconds.Add(((await ReadAsync("ivan@example.com")).Throttle.LockedUntilMs - h.Clock.NowMs) / 1000);
        }

        Assert.Equal(new long[] { 10, 20, 25, 25 }, lockSeconds);
    }

    [BackendFact]
    public async Task Account_lock_survives_a_restart()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("judy@example.com", "judy", Password, Address);
        for (var i = 0; i < 5; i++)
        {
            await h.Service.LoginAsync("judy@example.com", WrongPassword, Address);
        }

        var restarted = new CredentialHarness(OpenStore(), clock: h.Clock);

        Assert.Equal(CredentialOutcome.RateLimited, (await restarted.Service.LoginAsync("judy@example.com", Password, Address)).Outcome);
    }

    [BackendFact]
    public async Task Unknown_email_is_throttled_exactly_like_a_registered_one()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("karl@example.com", "karl", Password, Address);
        var known = new List<CredentialResult>();
        var unknown = new List<CredentialResult>();

        for (var attempt = 0; attempt < 7; attempt++)
        {
            known.Add(await h.Service.LoginAsync("karl@example.com", WrongPassword, IPAddress.Parse("198.51.100.1")));
            unknown.Add(await h.Service.LoginAsync("nobody@example.com", WrongPassword, IPAddress.Parse("198.51.100.2")));
        }

        h.Clock.Advance(TimeSpan.FromSeconds(30));
        known.Add(await h.Service.LoginAsync("karl@example.com", WrongPassword, IPAddress.Parse("198.51.100.1")));
        unknown.Add(await h.Service.LoginAsync("nobody@example.com", WrongPassword, IPAddress.Parse("198.51.100.2")));

        Assert.Equal(known, unknown);
        Assert.Equal(
            [.. Enumerable.Repeat(CredentialOutcome.InvalidCredentials, 5), CredentialOutcome.RateLimited, CredentialOutcome.RateLimited, CredentialOutcome.InvalidCredentials],
            known.Select(r => r.Outcome));
    }

    [BackendFact]
    public async Task Address_limit_refuses_before_hashing_and_slides_with_time()
    {
        var h = new CredentialHarness(Store);
        var elsewhere = IPAddress.Parse("203.0.113.7");
        await h.Service.RegisterAsync("liam@example.com", "liam", Password, elsewhere);
        for (var i = 0; i < CredentialPolicy.Default.AddressFailureLimit; i++)
        {
            Assert.Equal(CredentialOutcome.InvalidCredentials, (await h.Service.LoginAsync($"guess{i}@example.com", WrongPassword, Address)).Outcome);
        }

        var computations = h.Hashing.Computations;
        var refused = await h.Service.LoginAsync("liam@example.com", Password, Address);
        var refusedRegistration = await h.Service.RegisterAsync("new@example.com", "newbie", Password, Address);

        Assert.Equal(CredentialOutcome.RateLimited, refused.Outcome);
        Assert.Equal(CredentialOutcome.RateLimited, refusedRegistration.Outcome);
        Assert.Equal(computations, h.Hashing.Computations);
        Assert.Equal(CredentialOutcome.Ok, (await h.Service.LoginAsync("liam@example.com", Password, elsewhere)).Outcome);

        h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(CredentialOutcome.Ok, (await h.Service.LoginAsync("liam@example.com", Password, Address)).Outcome);
    }

    [BackendFact]
    public async Task Success_clears_earlier_failures()
    {
        var h = new CredentialHarness(Store);
        await h.Service.RegisterAsync("mia@example.com", "mia", Password, Address);
        for (var i = 0; i < 4; i++)
        {
            await h.Service.LoginAsync("mia@example.com", WrongPassword, Address);
        }

        Assert.Equal(CredentialOutcome.Ok, (await h.Service.LoginAsync("mia@example.com", Password, Address)).Outcome);
        Assert.Equal(ThrottleState.None, (await ReadAsync("mia@example.com")).Throttle);
        for (var i = 0; i < 4; i++)
        {
            await h.Service.LoginAsync("mia@example.com", WrongPassword, Address);
        }

        Assert.Equal(CredentialOutcome.Ok, (await h.Service.LoginAsync("mia@example.com", Password, Address)).Outcome);
    }

    [BackendFact]
    public async Task Login_upgrades_a_hash_made_with_weaker_parameters()
    {
        var weak = new CredentialHarness(Store);
        await weak.Service.RegisterAsync("nina@example.com", "nina", Password, Address);
        var strong = new CredentialHarness(Store, parameters: new Argon2Parameters(128, 2, 1), clock: weak.Clock);
        var hashes = strong.Hashing.Hashes;

        Assert.Equal(CredentialOutcome.Ok, (await strong.Service.LoginAsync("nina@example.com", Password, Address)).Outcome);
        var upgraded = await ReadAsync("nina@example.com");
        Assert.Equal(CredentialOutcome.Ok, (await strong.Service.LoginAsync("nina@example.com", Password, Address)).Outcome);

        Assert.Equal(1, strong.Hashing.Hashes - hashes);
        Assert.StartsWith("$argon2id$v=19$m=128,t=2,p=1$", upgraded.PasswordHash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.TryParse(upgraded.PasswordHash, out _, out var salt, out _));
        Assert.Equal(salt, upgraded.Salt);
        Assert.Equal(CredentialOutcome.InvalidCredentials, (await strong.Service.LoginAsync("nina@example.com", WrongPassword, Address)).Outcome);
    }
}
