using SecureChat.Accounts;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>Protocol §4.3 and §7 over real connections: three failed requests end a connection with
/// <c>AUTH_FAILED</c>; failures from one address across connections end in <c>RATE_LIMITED</c>.</summary>
public sealed class AuthBruteForceTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task The_third_failed_request_gets_its_response_then_auth_failed_and_a_close()
    {
        await using var server = await RunningServer.StartAsync();
        await using var pair = await HonestPair.StartAsync(server);
        var email = $"{pair.A.Username}@example.org";

        await using var attacker = await RawSession.ConnectAsync(server.Port);
        string[] guesses = ["password1", "letmein123", "hunter2hunter2"];
        foreach (var guess in guesses)
        {
            var answer = await attacker.LoginAsync(email, guess);
            Assert.Null(answer.Error);
            Assert.False(answer.Response!.Ok);
            Assert.Equal(AuthCodes.InvalidCredentials, answer.Response.Code);
        }

        // The third response came first, then the error, then the end of the connection.
        await attacker.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCode.AuthFailed);

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    [Fact]
    public async Task Failures_from_one_address_across_connections_end_in_rate_limited_even_for_the_right_password()
    {
        await using var server = await RunningServer.StartAsync();
        await using var pair = await HonestPair.StartAsync(server);
        var email = $"{pair.A.Username}@example.org";
        var limit = CredentialPolicy.Default.AddressFailureLimit;

        // Wrong passwords for a real account (below its own lock), then unknown addresses: all count for 127.0.0.1.
        RawSession? attacker = null;
        var onThisConnection = 0;
        try
        {
            for (var failures = 0; failures < limit; failures++)
            {
                if (attacker is null)
                {
                    attacker = await RawSession.ConnectAsync(server.Port);
                    onThisConnection = 0;
                }

                var target = failures < 3 ? email : $"nobody{failures}@example.org";
                var answer = await attacker.LoginAsync(target, "a wrong guess");
                Assert.Equal(AuthCodes.InvalidCredentials, answer.Response?.Code);
                if (++onThisConnection == 3)
                {
                    await attacker.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCode.AuthFailed);
                    await attacker.DisposeAsync();
                    attacker = null;
                }
            }

            // The address is at its limit: even the right password is refused before it is checked.
            attacker ??= await RawSession.ConnectAsync(server.Port);
            var refused = await attacker.LoginAsync(email, Password);
            Assert.Null(refused.Error);
            Assert.Equal(AuthCodes.RateLimited, refused.Response?.Code);
        }
        finally
        {
            if (attacker is not null)
            {
                await attacker.DisposeAsync();
            }
        }

        // Registration from the same address is refused too, on a fresh connection.
        await using (var register = await RawSession.ConnectAsync(server.Port))
        {
            var answer = await register.SubmitAsync(new AuthRequestPlaintext
            {
                Op = AuthRequestPlaintext.Register,
                Email = "newcomer@example.org",
                Username = "newcomer",
                Password = Password,
            });
            Assert.Null(answer.Error);
            Assert.Equal(AuthCodes.RateLimited, answer.Response?.Code);
        }

        // Users who are already logged in are not affected.
        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }
}
