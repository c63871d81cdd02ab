using System.Security.Cryptography.X509Certificates;
using SecureChat.Client;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Messages;
using SecureChat.TestSupport.EvilPeer;

namespace SecureChat.Integration.Tests;

/// <summary>The real client against a server that deviates during the handshake (protocol §2, §3, §6, §13): the
/// client raises the exact code, tells the server why whenever it still can, starts no transcript, and sends no
/// credential unless the server had already proved its key in the auth-phase DH.</summary>
public sealed class EvilServerHandshakeTests
{
    // Declared before the table below, which uses it while the class initialises.
    private static readonly ChatMessage FakeMessage = new()
    {
        Seqno = 1,
        Ts = TestPki.Now.ToUnixTimeMilliseconds(),
        Ct = Convert.ToBase64String(new byte[32]),
        Commit = Convert.ToBase64String(new byte[32]),
        Sig = Convert.ToBase64String(new byte[256]),
    };

    private static readonly Lazy<X509Certificate2> AnotherServerKey = new(() => CertificateAuthority.Issue(
        TestPki.RootWithKey, CertificateRole.Server, TestPki.ServerName, KeyKind.Rsa2048, TestPki.Now.AddDays(-1), TestPki.Now.AddYears(1)));

    public static TheoryData<string> BadServerCertificates => new()
    {
        "expired", "not yet valid", "self-signed", "other CA", "CA as leaf", "client EKU only", "wrong name", "RSA-1024",
        "revoked", "no digitalSignature", "ECDSA P-384",
    };

    [Theory]
    [MemberData(nameof(BadServerCertificates))]
    public async Task Server_certificate_failing_a_check_is_bad_cert_before_any_credential(string certificate)
    {
        await using var attack = new ClientUnderAttack(certificate: certificate switch
        {
            "expired" => TestPki.Expired,
            "not yet valid" => TestPki.NotYetValid,
            "self-signed" => TestPki.SelfSignedLeaf,
            "other CA" => TestPki.IssuedByOtherCa,
            "CA as leaf" => TestPki.CaAsLeaf,
            "client EKU only" => TestPki.ClientAuthOnlyAsServer,
            "wrong name" => TestPki.WrongName,
            "RSA-1024" => TestPki.Rsa1024,
            "revoked" => TestPki.Revoked,
            "no digitalSignature" => TestPki.NoDigitalSignature,
            _ => TestPki.EcdsaP384,
        });

        var (error, session) = await attack.FailToLogInAsync();

        Assert.Equal(ProtocolErrorCode.BadCert, error.Code);
        await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.BadCert);
        Assert.DoesNotContain(session.Received, m => m is DhClientMessage);
        Assert.False(session.ReceivedCredentials);
        attack.ExpectNoTranscript();
    }

    public static TheoryData<string> ForeignCertificates => new() { "ECDSA server.local", "RSA server.local" };

    [Theory]
    [MemberData(nameof(ForeignCertificates))]
    public async Task Valid_certificate_presented_without_its_key_is_sig_fail_before_any_credential(string certificate)
    {
        var foreign = certificate.StartsWith("ECDSA", StringComparison.Ordinal) ? TestPki.EcdsaServer : AnotherServerKey.Value;
        await using var attack = new ClientUnderAttack(new EvilPlan()
            .At("server_hello", Lies.Certificate(certificate, foreign))
            .OnReceived("dh_client", 1, "forged dh_server", context => Lies.ForgedDhServer(context, DhPhase.Auth.ToWire())));

        var (error, session) = await attack.FailToLogInAsync();

        Assert.Equal(ProtocolErrorCode.SigFail, error.Code);
        await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.SigFail);
        Assert.False(session.ReceivedCredentials);
        attack.ExpectNoTranscript();
    }

    [Fact]
    public async Task Control_an_honest_value_re_signed_over_the_wire_transcript_is_accepted()
    {
        // The signing used by the lies here (forged and re-signed DH values over the handshake as the client saw it)
        // produces signatures the client accepts when nothing else is wrong, so their refusals are the client's checks
        // and not a broken attack. The evil server's own keys then disagree with the client's, which does not matter.
        await using var attack = new ClientUnderAttack(new EvilPlan()
            .OnReceived("dh_client", 1, "forged dh_server", context => Lies.ForgedDhServer(context, DhPhase.Auth.ToWire())));

        await using var client = await ChatClient.ConnectAsync("127.0.0.1", attack.Evil.Port, attack.Options);
        var session = await attack.Evil.NextSessionAsync();
        Assert.DoesNotContain(session.Received, m => m is ErrorMessage);
    }

    public static TheoryData<string, string> InvalidDhValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var phase in new[] { "auth", "chat" })
        {
            foreach (var value in DhValues.InvalidNames)
            {
                data.Add(phase, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidDhValues))]
    public async Task Signed_but_invalid_server_dh_value_is_bad_dh(string phase, string value)
    {
        await using var attack = new ClientUnderAttack(new EvilPlan()
            .At("dh_server", phase == "auth" ? 1 : 2, Lies.SignedDhValue($"B = {value}", DhValues.Invalid(value))));

        var (error, session) = await attack.FailToLogInAsync();

        Assert.Equal(ProtocolErrorCode.BadDh, error.Code);
        await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.BadDh);
        Assert.Equal(phase == "chat", session.ReceivedCredentials);
        attack.ExpectNoTranscript();
    }

    /// <summary>Handshake deviations: the plan, the code the client must raise, whether the deviation comes after
    /// the server proved its key (so credentials were legitimately sent), and whether the client can still say why.</summary>
    public static TheoryData<string> HandshakeDeviations => [.. Deviations.Keys];

    private static readonly Dictionary<string, (EvilPlan Plan, ProtocolErrorCode Code, bool AfterProof, bool Told)> Deviations = new()
    {
        ["B swapped for another key's value (auth)"] = (new EvilPlan().At("dh_server", 1, Lies.SwappedDhValue("swap B", DhValues.Fresh())), ProtocolErrorCode.SigFail, false, true),
        ["B swapped for another key's value (chat)"] = (new EvilPlan().At("dh_server", 2, Lies.SwappedDhValue("swap B", DhValues.Fresh())), ProtocolErrorCode.SigFail, true, true),
        ["DH signature bit flipped (auth)"] = (new EvilPlan().At("dh_server", 1, Deviation.FlipBit("sig", 77)), ProtocolErrorCode.SigFail, false, true),
        ["DH signature bit flipped (chat)"] = (new EvilPlan().At("dh_server", 2, Deviation.FlipBit("sig", 77)), ProtocolErrorCode.SigFail, true, true),
        ["B bit flipped (auth)"] = (new EvilPlan().At("dh_server", 1, Deviation.FlipBit("B", 2000)), ProtocolErrorCode.SigFail, false, true),
        ["dh_server in another group"] = (new EvilPlan().At("dh_server", 1, Replace("\"ffdhe2048\"", "\"ffdhe3072\"")), ProtocolErrorCode.BadDh, false, true),
        ["dh_server of the chat phase during the auth phase"] = (new EvilPlan().At("dh_server", 1, Replace("\"auth\"", "\"chat\"")), ProtocolErrorCode.ProtocolError, false, true),
        ["server_hello nonce of 31 bytes"] = (new EvilPlan().At("server_hello", Deviation.Rewrite<ServerHelloMessage>("short nonce", (m, _) => m with { Nonce = Convert.ToBase64String(new byte[31]) })), ProtocolErrorCode.ProtocolError, false, true),
        ["server_hello version 2"] = (new EvilPlan().At("server_hello", Replace("\"version\":1", "\"version\":2")), ProtocolErrorCode.UnsupportedVersion, false, true),
        ["server certificate that is not PEM"] = (new EvilPlan().At("server_hello", Deviation.Rewrite<ServerHelloMessage>("not PEM", (m, _) => m with { ServerCert = "not a certificate" })), ProtocolErrorCode.BadCert, false, true),
        ["server certificate with a flipped bit"] = (new EvilPlan().At("server_hello", Deviation.FlipBit("server_cert", 1000)), ProtocolErrorCode.BadCert, false, true),
        ["zero-length frame"] = (new EvilPlan().At("server_hello", Deviation.Replace("zero length", [0, 0, 0, 0])), ProtocolErrorCode.FrameTooLarge, false, true),
        ["length prefix one above the maximum"] = (new EvilPlan().At("server_hello", Deviation.Replace("65537", [0, 1, 0, 1])), ProtocolErrorCode.FrameTooLarge, false, true),
        ["oversized frame"] = (new EvilPlan().At("server_hello", Deviation.Replace("70 000 bytes", [0, 1, 0x11, 0x70, .. new byte[70_000]])), ProtocolErrorCode.FrameTooLarge, false, true),
        ["frame cut in the middle, then closed"] = (new EvilPlan().At("dh_server", 1, Deviation.Truncate(100)), ProtocolErrorCode.ProtocolError, false, false),
        ["invalid UTF-8"] = (new EvilPlan().At("server_hello", Deviation.Replace("invalid UTF-8", FrameWriter.Frame([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]))), ProtocolErrorCode.ProtocolError, false, true),
        ["invalid JSON"] = (new EvilPlan().At("server_hello", Replace("\"version\":1", "\"version\":1,,")), ProtocolErrorCode.ProtocolError, false, true),
        ["duplicate member"] = (new EvilPlan().At("server_hello", Replace("\"version\":1", "\"version\":1,\"version\":1")), ProtocolErrorCode.ProtocolError, false, true),
        ["member of the wrong type"] = (new EvilPlan().At("server_hello", Replace("\"version\":1", "\"version\":\"1\"")), ProtocolErrorCode.ProtocolError, false, true),
        ["unknown type"] = (new EvilPlan().At("server_hello", Replace("\"server_hello\"", "\"server_hi\"")), ProtocolErrorCode.ProtocolError, false, true),
        ["garbage"] = (new EvilPlan().At("server_hello", Deviation.Replace("garbage", FrameWriter.Frame(Garbage(300)))), ProtocolErrorCode.ProtocolError, false, true),
        ["second server_hello instead of dh_server"] = (new EvilPlan().At("dh_server", 1, Deviation.ReplayEarlier("server_hello")), ProtocolErrorCode.ProtocolError, false, true),
        ["msg before authentication"] = (new EvilPlan().At("dh_server", 1, Deviation.Replace("msg", MessageCodec.EncodeFrame(FakeMessage))), ProtocolErrorCode.ProtocolError, false, true),
        ["dh_server again instead of auth_response"] = (new EvilPlan().At("auth_response", Deviation.ReplayEarlier("dh_server")), ProtocolErrorCode.ProtocolError, true, true),
        ["auth_response bit flipped"] = (new EvilPlan().At("auth_response", Deviation.FlipBit("ct", 9)), ProtocolErrorCode.DecryptFail, true, true),
        ["error frame forged by the server"] = (new EvilPlan().At("dh_server", 1, Deviation.Replace("error", ProtocolEndpoint.ErrorFrame(ProtocolErrorCode.Internal, "forged"))), ProtocolErrorCode.Internal, false, false),
        ["stall before server_hello"] = (new EvilPlan().At("server_hello", Deviation.Stall), ProtocolErrorCode.Timeout, false, false),
        ["stall before auth_response"] = (new EvilPlan().At("auth_response", Deviation.Stall), ProtocolErrorCode.Timeout, true, false),
        ["dh_server dropped"] = (new EvilPlan().At("dh_server", 1, Deviation.Drop), ProtocolErrorCode.Timeout, false, false),
        ["connection reset instead of dh_server"] = (new EvilPlan().At("dh_server", 1, Deviation.CloseAbruptly), ProtocolErrorCode.ProtocolError, false, false),
    };

    [Theory]
    [MemberData(nameof(HandshakeDeviations))]
    public async Task Handshake_deviation_gets_its_code_and_no_early_credential(string deviation)
    {
        var (plan, code, afterProof, told) = Deviations[deviation];
        await using var attack = new ClientUnderAttack(plan);

        var (error, session) = await attack.FailToLogInAsync();

        Assert.Equal(code, error.Code);
        Assert.Equal(afterProof, session.ReceivedCredentials);
        attack.ExpectNoTranscript();
        if (told)
        {
            await ClientUnderAttack.ExpectToldAsync(session, code);
        }
        else
        {
            await ClientUnderAttack.ExpectSilentAsync(session);
        }
    }

    [Fact]
    public async Task Handshake_replayed_from_an_earlier_session_is_sig_fail_before_any_credential()
    {
        await using var attack = new ClientUnderAttack();
        var (first, recorded) = await attack.LogInAsync();
        await first.DisposeAsync();
        var serverHello = recorded.Context.SentEarlier("server_hello");
        var dhServer = recorded.Context.SentEarlier("dh_server");

        // The second session gets the first one's server_hello and signed dh_server, byte for byte.
        attack.Evil.Plan = new EvilPlan()
            .At("server_hello", Deviation.Replace("recorded server_hello", serverHello))
            .OnReceived("dh_client", 1, "recorded dh_server", _ => dhServer);
        var (error, session) = await attack.FailToLogInAsync();

        Assert.Equal(ProtocolErrorCode.SigFail, error.Code);
        await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.SigFail);
        Assert.False(session.ReceivedCredentials);
        Assert.Single(Directory.GetFiles(attack.Transcripts, "*.jsonl", SearchOption.AllDirectories));
    }

    private static Deviation Replace(string from, string to) =>
        Deviation.EditJson($"{from} -> {to}", json => json.Contains(from, StringComparison.Ordinal)
            ? json.Replace(from, to, StringComparison.Ordinal)
            : throw new InvalidOperationException($"{from} is not in the frame"));

    private static byte[] Garbage(int length)
    {
        // Fixed seed: the same bytes every run, so a failure can be reproduced.
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
