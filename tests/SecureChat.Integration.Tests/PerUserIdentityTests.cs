using System.Security.Cryptography.X509Certificates;
using SecureChat.Client;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>Protocol §6 in per-user mode: a certificate names one account (its CN or e-mail SAN); it can register
/// and log in as that account and as no other.</summary>
public sealed class PerUserIdentityTests
{
    private const string Password = "correct horse battery";
    private const string BobEmail = "bob@example.com";

    private static readonly Lazy<X509Certificate2> BobCertificate = new(() =>
        CertificateAuthority.Issue(TestPki.RootWithKey, CertificateRole.User, BobEmail, KeyKind.Rsa2048, TestPki.Now.AddDays(-1), TestPki.Now.AddYears(1)));

    [Fact]
    public async Task A_user_certificate_logs_in_as_its_own_address_and_gets_invalid_credentials_for_any_other()
    {
        await using var server = await RunningServer.StartAsync(o => o.Identity = "per-user");
        var alice = await ChatClient.ConnectAsync("127.0.0.1", server.Port, server.ClientOptions("alice", TestPki.User));
        var bob = await ChatClient.ConnectAsync("127.0.0.1", server.Port, server.ClientOptions("bob", BobCertificate.Value));
        Assert.True((await alice.RegisterAsync(TestPki.UserEmail, "alice", Password)).Ok);
        Assert.True((await bob.RegisterAsync(BobEmail, "bob", Password)).Ok);
        await using var pair = await HonestPair.StartAsync(server, alice, bob);

        // Alice's certificate, Bob's address and Bob's right password: refused, as if the password were wrong.
        await using (var impostor = await RawSession.ConnectAsync(server.Port, new LocalIdentity(TestPki.User)))
        {
            var asBob = await impostor.LoginAsync(BobEmail, Password);
            Assert.Null(asBob.Error);
            Assert.Equal(AuthCodes.InvalidCredentials, asBob.Response?.Code);

            var registerOther = await impostor.SubmitAsync(new AuthRequestPlaintext
            {
                Op = AuthRequestPlaintext.Register,
                Email = "mallory@example.com",
                Username = "mallory",
                Password = Password,
            });
            Assert.Null(registerOther.Error);
            Assert.Equal(AuthCodes.InvalidCredentials, registerOther.Response?.Code);

            // The same connection may still log in as the account its certificate names.
            var asAlice = await impostor.LoginAsync(TestPki.UserEmail.ToUpperInvariant(), Password);
            Assert.Null(asAlice.Error);
            Assert.True(asAlice.Response is { Ok: true, Username: "alice" }, asAlice.Response?.Code);
        }

        // The shared client.local certificate names no account at all in this mode.
        await using (var shared = await RawSession.ConnectAsync(server.Port))
        {
            var answer = await shared.LoginAsync(TestPki.UserEmail, Password);
            Assert.Null(answer.Error);
            Assert.Equal(AuthCodes.InvalidCredentials, answer.Response?.Code);
        }

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    [Fact]
    public async Task Three_attempts_at_other_accounts_end_in_auth_failed()
    {
        await using var server = await RunningServer.StartAsync(o => o.Identity = "per-user");
        var alice = await ChatClient.ConnectAsync("127.0.0.1", server.Port, server.ClientOptions("alice", TestPki.User));
        var bob = await ChatClient.ConnectAsync("127.0.0.1", server.Port, server.ClientOptions("bob", BobCertificate.Value));
        Assert.True((await alice.RegisterAsync(TestPki.UserEmail, "alice", Password)).Ok);
        Assert.True((await bob.RegisterAsync(BobEmail, "bob", Password)).Ok);
        await using var pair = await HonestPair.StartAsync(server, alice, bob);

        await using var impostor = await RawSession.ConnectAsync(server.Port, new LocalIdentity(BobCertificate.Value));
        for (var i = 0; i < 3; i++)
        {
            var answer = await impostor.LoginAsync(TestPki.UserEmail, Password);
            Assert.Equal(AuthCodes.InvalidCredentials, answer.Response?.Code);
        }

        await impostor.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCode.AuthFailed);
        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }
}
