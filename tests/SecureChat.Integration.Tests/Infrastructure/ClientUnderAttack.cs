using SecureChat.Client;
using SecureChat.Evidence;
using SecureChat.Evidence.Audit;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.TestSupport.EvilPeer;

namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>The real <see cref="ChatClient"/> against an <see cref="EvilServer"/>, with short client timeouts and a
/// transcript folder of its own, and the checks every evil-server test makes afterwards.</summary>
internal sealed class ClientUnderAttack : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private readonly TemporaryDirectory _folder = new();

    public ClientUnderAttack(EvilPlan? plan = null, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        Evil = new EvilServer(plan, certificate);
    }

    public EvilServer Evil { get; }

    /// <summary>The client's transcript folder.</summary>
    public string Transcripts => _folder.File("client-transcripts");

    /// <summary>Options of the real client: short timeouts so that a stalling server fails a test quickly.</summary>
    public ChatClientOptions Options => new()
    {
        Identity = new LocalIdentity(TestPki.Client),
        ServerValidator = new CertificateValidator(TestPki.ServerPolicy()),
        TranscriptDirectory = Transcripts,
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        ReceiptTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Connects and registers, and requires the client to refuse on the way; returns its error and the
    /// server side of the connection.</summary>
    public async Task<(ProtocolException Error, EvilServerSession Session)> FailToLogInAsync()
    {
        var error = await Assert.ThrowsAsync<ProtocolException>(async () =>
        {
            await using var client = await ChatClient.ConnectAsync("127.0.0.1", Evil.Port, Options);

            // Reached only if the client accepted the handshake: then the credentials go out and the test sees them.
            await client.RegisterAsync("victim@example.org", "victim", Password);
        });
        return (error, await Evil.NextSessionAsync());
    }

    /// <summary>Connects and registers, and requires success; the chat phase is then established on both sides.</summary>
    public async Task<(ChatClient Client, EvilServerSession Session)> LogInAsync()
    {
        var client = await ChatClient.ConnectAsync("127.0.0.1", Evil.Port, Options);
        var response = await client.RegisterAsync("victim@example.org", "victim", Password);
        Assert.True(response.Ok);
        var session = await Evil.NextSessionAsync();
        await session.Established.WaitAsync(EvilSession.DefaultTimeout);
        return (client, session);
    }

    /// <summary>Requires the session to have ended with <paramref name="code"/> at the client.</summary>
    public static async Task<ProtocolException> ExpectEndedAsync(ChatClient client, ProtocolErrorCode code)
    {
        var ended = await client.Completion.WaitAsync(EvilSession.DefaultTimeout);
        Assert.False(ended.ReceiptsMatched);
        Assert.NotNull(ended.Error);
        Assert.Equal(code, ended.Error.Code);
        return ended.Error;
    }

    /// <summary>Requires the client to have told the server why it stopped, with <paramref name="code"/>.</summary>
    public static async Task ExpectToldAsync(EvilSession session, ProtocolErrorCode code)
    {
        var outcome = await session.Finished.WaitAsync(EvilSession.DefaultTimeout);
        var told = session.Received.OfType<ErrorMessage>().ToList();
        Assert.True(told.Count == 1, $"the client sent {told.Count} error frames ({outcome})");
        Assert.Equal(code.ToWire(), told[0].Code);
    }

    /// <summary>Requires the client to have sent no error frame: it had no reason to, or nobody left to tell.</summary>
    public static async Task ExpectSilentAsync(EvilSession session)
    {
        await session.Finished.WaitAsync(EvilSession.DefaultTimeout);
        Assert.Empty(session.Received.OfType<ErrorMessage>());
    }

    /// <summary>Requires that no transcript file was started (nothing is evidence before the chat phase).</summary>
    public void ExpectNoTranscript() =>
        Assert.True(!Directory.Exists(Transcripts) || Directory.GetFiles(Transcripts, "*", SearchOption.AllDirectories).Length == 0, "a transcript file was started");

    /// <summary>Requires the client's transcript to parse line by line, pass the auditor, hold exactly the first
    /// <paramref name="delivered"/> messages the server sealed honestly and the <paramref name="sent"/> the client
    /// sent, and hold no receipt of the server's unless <paramref name="serverReceipt"/>.</summary>
    public async Task<List<TranscriptRecord>> ExpectTranscriptIntactAsync(EvilServerSession session, int delivered, int sent = 0,
        bool clientReceipt = false, bool serverReceipt = false)
    {
        var path = Assert.Single(Directory.GetFiles(Transcripts, "*", SearchOption.AllDirectories));
        var lines = await ServerTranscript.ReadFileAsync(path);
        await using (var file = File.OpenRead(path))
        {
            var report = TranscriptAuditor.Audit(file, TestPki.Root);
            Assert.True(report.Accepted, string.Join("; ", report.Findings.Select(f => f.ToString())));
        }

        var messages = lines.OfType<TranscriptMessageLine>().ToList();
        var honest = session.Sealed.Take(delivered).Select(m => TranscriptJson.ToLine(Direction.ServerToClient, m, null));
        Assert.Equal(honest, messages.Where(m => m.Dir == "s2c").Select(m => m with { Plaintext = null }));
        Assert.Equal(Enumerable.Range(1, sent).Select(i => (long)i), messages.Where(m => m.Dir == "c2s").Select(m => m.Seqno));
        var receipts = lines.OfType<TranscriptReceiptLine>().ToList();
        Assert.Equal(clientReceipt ? 1 : 0, receipts.Count(r => r.Peer == "client"));
        Assert.Equal(serverReceipt ? 1 : 0, receipts.Count(r => r.Peer == "server"));
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await Evil.DisposeAsync();
        _folder.Dispose();
    }
}
