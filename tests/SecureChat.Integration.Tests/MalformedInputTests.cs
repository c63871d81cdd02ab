using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>One server for the whole class, so every bad input below hits a server that has already seen the others.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    internal RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Protocol §1 and §4.1: each kind of bad input on a fresh connection gets its own error code and a close,
/// while an honest pair keeps chatting on the same server.</summary>
public sealed class MalformedInputTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly Lazy<X509Certificate2> ExpiredClient = new(() => CertificateAuthority.Issue(
        TestPki.RootWithKey, CertificateRole.Client, TestPki.ClientName, KeyKind.Rsa2048, TestPki.Now.AddDays(-60), TestPki.Now.AddDays(-30)));

    private RunningServer Server => shared.Server;

    public static TheoryData<string, string> Cases => new()
    {
        { "zero length", "FRAME_TOO_LARGE" },
        { "length one above the maximum, body never sent", "FRAME_TOO_LARGE" },
        { "length 2^32-1, body never sent", "FRAME_TOO_LARGE" },
        { "length above the maximum, body sent anyway", "FRAME_TOO_LARGE" },
        { "invalid JSON", "PROTOCOL_ERROR" },
        { "JSON array instead of an object", "PROTOCOL_ERROR" },
        { "missing type", "PROTOCOL_ERROR" },
        { "invalid UTF-8", "PROTOCOL_ERROR" },
        { "duplicate member", "PROTOCOL_ERROR" },
        { "duplicate type", "PROTOCOL_ERROR" },
        { "unknown type", "PROTOCOL_ERROR" },
        { "member of the wrong JSON type", "PROTOCOL_ERROR" },
        { "missing required member", "PROTOCOL_ERROR" },
        { "nonce of the wrong length", "PROTOCOL_ERROR" },
        { "msg as the first frame", "PROTOCOL_ERROR" },
        { "msg after k_auth, before login", "PROTOCOL_ERROR" },
        { "version 2", "UNSUPPORTED_VERSION" },
        { "version 0", "UNSUPPORTED_VERSION" },
        { "client certificate from another CA", "BAD_CERT" },
        { "expired client certificate", "BAD_CERT" },
        { "server certificate presented by a client", "BAD_CERT" },
        { "self-signed certificate", "BAD_CERT" },
        { "CA certificate presented as a leaf", "BAD_CERT" },
        { "not a certificate", "BAD_CERT" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_its_error_code_and_a_close_while_others_keep_chatting(string input, string code)
    {
        await using var pair = await HonestPair.StartAsync(Server);

        if (input == "msg after k_auth, before login")
        {
            await using var session = await RawSession.ConnectAsync(Server.Port);
            await session.Raw.SendAsync(AnyMessage());
            await ExpectAsync(session.Raw, code);
        }
        else
        {
            await using var offender = await RawClient.ConnectAsync(Server.Port);
            try
            {
                await offender.WriteAsync(Bytes(input));
            }
            catch (IOException) when (input.EndsWith("sent anyway", StringComparison.Ordinal))
            {
                // The server may refuse the frame and close before the whole body is written; the error is still due.
            }

            await ExpectAsync(offender, code);
        }

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(Server);
    }

    private static async Task ExpectAsync(RawClient offender, string code)
    {
        var error = await offender.ReadErrorAsync();
        Assert.Equal(code, error.Code);
        await offender.ExpectClosedAsync();
    }

    private static byte[] Bytes(string input) => input switch
    {
        "zero length" => [0, 0, 0, 0],
        "length one above the maximum, body never sent" => RawClient.Frame(65537, []),
        "length 2^32-1, body never sent" => RawClient.Frame(uint.MaxValue, []),
        "length above the maximum, body sent anyway" => RawClient.Frame(new byte[65537]),
        "invalid JSON" => Json("""{"type":"hello","version":1,"""),
        "JSON array instead of an object" => Json("""[{"type":"hello"}]"""),
        "missing type" => Json(HelloJson().Replace("\"type\":\"hello\",", "", StringComparison.Ordinal)),
        "invalid UTF-8" => InvalidUtf8(),
        "duplicate member" => Json(HelloJson().Replace("\"version\":1", "\"version\":1,\"version\":1", StringComparison.Ordinal)),
        "duplicate type" => Json(HelloJson().Replace("\"type\":\"hello\"", "\"type\":\"hello\",\"type\":\"hello\"", StringComparison.Ordinal)),
        "unknown type" => Json("""{"type":"shutdown","version":1}"""),
        "member of the wrong JSON type" => Json(HelloJson().Replace("\"version\":1", "\"version\":\"1\"", StringComparison.Ordinal)),
        "missing required member" => Json(HelloJson().Replace(",\"nonce\":", ",\"not_the_nonce\":", StringComparison.Ordinal)),
        "nonce of the wrong length" => MessageCodec.EncodeFrame(Hello(nonce: new byte[16])),
        "msg as the first frame" => MessageCodec.EncodeFrame(AnyMessage()),
        "version 2" => MessageCodec.EncodeFrame(Hello(version: 2)),
        "version 0" => MessageCodec.EncodeFrame(Hello(version: 0)),
        "client certificate from another CA" => HelloFrom(TestPki.IssuedByOtherCa),
        "expired client certificate" => HelloFrom(ExpiredClient.Value),
        "server certificate presented by a client" => HelloFrom(TestPki.Server),
        "self-signed certificate" => HelloFrom(TestPki.SelfSignedLeaf),
        "CA certificate presented as a leaf" => HelloFrom(TestPki.CaAsLeaf),
        "not a certificate" => MessageCodec.EncodeFrame(Hello(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown case"),
    };

    private static byte[] Json(string json) => RawClient.Frame(Encoding.UTF8.GetBytes(json));

    private static HelloMessage Hello(long version = 1, string? pem = null, byte[]? nonce = null) => new()
    {
        Version = version,
        ClientCert = pem ?? TestPki.Client.ExportCertificatePem(),
        Nonce = Convert.ToBase64String(nonce ?? new byte[32]),
    };

    private static string HelloJson() => Encoding.UTF8.GetString(MessageCodec.Encode(Hello()));

    /// <summary>A hello as a genuine client with this certificate (and its key) would send it.</summary>
    private static byte[] HelloFrom(X509Certificate2 certificate)
    {
        using var protocol = new ClientProtocol(new LocalIdentity(certificate), new CertificateValidator(TestPki.ServerPolicy()), new ProtocolSettings());
        return protocol.Start().Frames.Single();
    }

    /// <summary>A well-formed hello whose certificate string holds the bytes C3 28, which are not UTF-8.</summary>
    private static byte[] InvalidUtf8()
    {
        var json = Encoding.UTF8.GetBytes(HelloJson().Replace("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----@@", StringComparison.Ordinal));
        var at = json.AsSpan().IndexOf("@@"u8);
        json[at] = 0xC3;
        json[at + 1] = 0x28;
        return RawClient.Frame(json);
    }

    private static ChatMessage AnyMessage() => new()
    {
        Seqno = 1,
        Ts = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
        Ct = Convert.ToBase64String(new byte[32]),
        Commit = Convert.ToBase64String(new byte[32]),
        Sig = Convert.ToBase64String(new byte[256]),
    };
}
