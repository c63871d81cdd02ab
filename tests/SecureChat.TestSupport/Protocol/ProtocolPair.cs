using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.TestSupport;

/// <summary>A client and a server state machine wired back to back, with a hook that lets a test play the
/// network attacker on every frame in flight.</summary>
public sealed class ProtocolPair : IDisposable
{
    private readonly List<ProtocolEvent> _clientEvents = [];
    private readonly List<ProtocolEvent> _serverEvents = [];

    public ProtocolPair(X509Certificate2? clientCert = null, X509Certificate2? serverCert = null,
        TestClock? clock = null, Func<AuthRequestPlaintext, AuthResponsePlaintext>? authenticate = null,
        CertificateValidator? clientValidator = null, CertificateValidator? serverValidator = null)
    {
        Clock = clock ?? new TestClock(TestClock.Epoch);
        var settings = new ProtocolSettings { Time = Clock };
        ClientIdentity = new LocalIdentity(clientCert ?? TestCertificates.Client);
        ServerIdentity = new LocalIdentity(serverCert ?? TestCertificates.Server);
        Client = new ClientProtocol(ClientIdentity, serverValidator ?? TestCertificates.ValidatorFor(ExpectedPeer.Server), settings);
        Server = new ServerProtocol(ServerIdentity, clientValidator ?? TestCertificates.ValidatorFor(ExpectedPeer.Client), settings);
        Authenticate = authenticate ?? (r => new AuthResponsePlaintext { Ok = true, Code = AuthCodes.Ok, Username = "alice", Message = "welcome" });
    }

    public TestClock Clock { get; }

    public LocalIdentity ClientIdentity { get; }

    public LocalIdentity ServerIdentity { get; }

    public ClientProtocol Client { get; }

    public ServerProtocol Server { get; }

    public Func<AuthRequestPlaintext, AuthResponsePlaintext> Authenticate { get; set; }

    /// <summary>Sees every frame on its way; returns the frames to deliver instead (empty drops it).</summary>
    public Func<bool, byte[], IEnumerable<byte[]>>? Attacker { get; set; }

    public IReadOnlyList<ProtocolEvent> ClientEvents => _clientEvents;

    public IReadOnlyList<ProtocolEvent> ServerEvents => _serverEvents;

    /// <summary>All frames that crossed the wire, with the direction (true = client to server).</summary>
    public List<(bool ToServer, byte[] Frame)> Wire { get; } = [];

    public static AuthRequestPlaintext Login => new() { Op = AuthRequestPlaintext.Login, Email = "alice@example.org", Password = "correct horse" };

    /// <summary>Runs the handshake up to k_chat.</summary>
    public void Handshake()
    {
        Deliver(toServer: true, Client.Start());
        if (!Client.CanSubmitCredentials)
        {
            throw new InvalidOperationException("k_auth was not established");
        }

        Deliver(toServer: true, Client.SubmitCredentials(Login));
    }

    /// <summary>Delivers frames and everything they cause until the wire is quiet.</summary>
    public void Deliver(bool toServer, ProtocolOutput output)
    {
        (toServer ? _clientEvents : _serverEvents).AddRange(output.Events);
        var queue = new Queue<(bool, byte[])>(output.Frames.Select(f => (toServer, f)));
        while (queue.Count > 0)
        {
            var (towardsServer, frame) = queue.Dequeue();
            var frames = Attacker?.Invoke(towardsServer, frame) ?? [frame];
            foreach (var delivered in frames)
            {
                Wire.Add((towardsServer, delivered));
                var receiver = towardsServer ? (ProtocolEndpoint)Server : Client;
                var result = receiver.Receive(delivered);
                (towardsServer ? _serverEvents : _clientEvents).AddRange(result.Events);
                foreach (var reply in result.Frames)
                {
                    queue.Enqueue((!towardsServer, reply));
                }

                foreach (var request in result.Events.OfType<AuthRequestReceived>())
                {
                    foreach (var reply in Server.CompleteAuth(Authenticate(request.Request)).Frames)
                    {
                        queue.Enqueue((false, reply));
                    }
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
}
