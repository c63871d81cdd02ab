using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>A client and a server state machine run back to back, each with a host that writes its transcript file
/// exactly as §4.8 asks: the header once the session is established, then a line for every message and receipt
/// event, each written when the event is produced (before the frame it records is acted on).</summary>
internal sealed class RecordedConversation : IDisposable
{
    public const string Username = "alice";

    private int _failedLoginsLeft;

    public RecordedConversation(X509Certificate2? clientCert = null, X509Certificate2? serverCert = null, bool serverKeepsPlaintext = false,
        int failedLogins = 0)
    {
        _failedLoginsLeft = failedLogins;
        Clock = new TestClock(TestClock.Epoch);
        var settings = new ProtocolSettings { Time = Clock };
        ClientIdentity = new LocalIdentity(clientCert ?? TestCertificates.Client);
        ServerIdentity = new LocalIdentity(serverCert ?? TestCertificates.Server);
        Client = new ClientProtocol(ClientIdentity, TestCertificates.ValidatorFor(ExpectedPeer.Server), settings);
        Server = new ServerProtocol(ServerIdentity, new CertificateValidator(SecureChat.TestSupport.TestPki.ClientPolicy(expectedName: null)), settings);
        ClientLog = new HostLog("client", Client, this, keepsPlaintext: true);
        ServerLog = new HostLog("server", Server, this, serverKeepsPlaintext);
    }

    public TestClock Clock { get; }

    public LocalIdentity ClientIdentity { get; }

    public LocalIdentity ServerIdentity { get; }

    public ClientProtocol Client { get; }

    public ServerProtocol Server { get; }

    public HostLog ClientLog { get; }

    public HostLog ServerLog { get; }

    /// <summary>Runs the handshake up to k_chat, logging in again after each failed attempt.</summary>
    public RecordedConversation Handshake()
    {
        Deliver(toServer: true, Produce(fromClient: true, Client.Start()));
        while (Client.CanSubmitCredentials)
        {
            Deliver(toServer: true, Produce(fromClient: true, Client.SubmitCredentials(ProtocolPair.Login)));
        }

        if (Client.Chat is null || Server.Chat is null)
        {
            throw new InvalidOperationException("the handshake did not complete");
        }

        return this;
    }

    /// <summary>One side sends a text and the other receives it at once.</summary>
    public RecordedConversation Say(bool fromClient, string text)
    {
        Deliver(toServer: fromClient, Send(fromClient, text));
        return this;
    }

    /// <summary>One side sends a text; the frames are returned undelivered (in flight).</summary>
    public List<byte[]> Send(bool fromClient, string text) =>
        Produce(fromClient, (fromClient ? (ProtocolEndpoint)Client : Server).SendText(text));

    /// <summary>One side sends any content (the server a relayed copy with an origin, say); the frames are returned
    /// undelivered (in flight).</summary>
    public List<byte[]> Send(bool fromClient, OutgoingChat content) =>
        Produce(fromClient, (fromClient ? (ProtocolEndpoint)Client : Server).Send(content));

    /// <summary>One side ends the session; the frames (its receipt) are returned undelivered.</summary>
    public List<byte[]> End(bool fromClient) => Produce(fromClient, (fromClient ? (ProtocolEndpoint)Client : Server).EndSession());

    /// <summary>Delivers frames and everything they cause until the wire is quiet.</summary>
    public void Deliver(bool toServer, IEnumerable<byte[]> frames)
    {
        var queue = new Queue<(bool ToServer, byte[] Frame)>(frames.Select(f => (toServer, f)));
        while (queue.Count > 0)
        {
            var (towardsServer, frame) = queue.Dequeue();
            var receiver = towardsServer ? (ProtocolEndpoint)Server : Client;
            foreach (var reply in Produce(fromClient: !towardsServer, receiver.Receive(frame)))
            {
                queue.Enqueue((!towardsServer, reply));
            }

            if (Server.IsAwaitingAuthDecision)
            {
                var ok = _failedLoginsLeft-- <= 0;
                var response = new AuthResponsePlaintext
                {
                    Ok = ok,
                    Code = ok ? AuthCodes.Ok : AuthCodes.InvalidCredentials,
                    Username = ok ? Username : "",
                    Message = ok ? "welcome" : "try again",
                };
                foreach (var reply in Produce(fromClient: false, Server.CompleteAuth(response)))
                {
                    queue.Enqueue((false, reply));
                }
            }
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
        ClientIdentity.Dispose();
        ServerIdentity.Dispose();
    }

    /// <summary>Logs what an endpoint produced (as its host would, before sending) and returns the frames.</summary>
    private List<byte[]> Produce(bool fromClient, ProtocolOutput output)
    {
        (fromClient ? ClientLog : ServerLog).Record(output.Events);
        return output.Frames;
    }
}

/// <summary>One host's transcript file, as lines without their newline.</summary>
internal sealed class HostLog(string side, ProtocolEndpoint endpoint, RecordedConversation conversation, bool keepsPlaintext)
{
    public List<byte[]> Lines { get; } = [];

    public void Record(IEnumerable<ProtocolEvent> events)
    {
        foreach (var e in events)
        {
            TranscriptRecord? record = e switch
            {
                SessionEstablished established => Header(established),
                MessageSent sent => TranscriptJson.ToLine(sent.Direction, sent.Message, keepsPlaintext ? sent.Plaintext : null),
                MessageReceived received => TranscriptJson.ToLine(received.Direction, received.Message, keepsPlaintext ? received.Plaintext : null),
                ReceiptSent sent => TranscriptJson.ToLine(sent.Receipt),
                ReceiptReceived received => TranscriptJson.ToLine(received.Receipt),
                _ => null,
            };
            if (record is not null)
            {
                Lines.Add(TranscriptJson.Serialize(record));
            }
        }
    }

    private TranscriptHeader Header(SessionEstablished established) => new()
    {
        Version = 1,
        Side = side,
        SessionId = WireBytes.ToHex(established.SessionId),
        ClientCert = conversation.ClientIdentity.Pem,
        ServerCert = conversation.ServerIdentity.Pem,
        Username = RecordedConversation.Username,
        StartedMs = conversation.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
        Handshake = endpoint.Handshake.Frames.Select(Convert.ToBase64String).ToList(),
    };
}
