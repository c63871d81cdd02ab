using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>A client that runs the real <see cref="ClientProtocol"/> over a socket, with a plan applied to what it
/// sends: the attacker of a real server.</summary>
public sealed class EvilClient : EvilSession
{
    private AuthResponsePlaintext? _lastResponse;

    private EvilClient(Socket socket, LocalIdentity identity, ClientProtocol protocol, EvilPlan plan, ShiftedClock clock)
        : base(socket, isServer: false, identity, protocol, plan, clock, ownsIdentity: true)
    {
        Client = protocol;
    }

    /// <summary>The client state machine.</summary>
    public ClientProtocol Client { get; }

    /// <summary>Connects to a loopback port and sends <c>hello</c> through the plan; <paramref name="certificate"/>
    /// (with its key) defaults to <see cref="TestPki.Client"/>.</summary>
    public static async Task<EvilClient> ConnectAsync(int port, EvilPlan? plan = null, X509Certificate2? certificate = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var identity = new LocalIdentity(certificate ?? TestPki.Client);
        var clock = new ShiftedClock();
        var protocol = new ClientProtocol(identity, new CertificateValidator(TestPki.ServerPolicy()), new ProtocolSettings { Time = clock });
        var client = new EvilClient(socket, identity, protocol, plan ?? EvilPlan.Honest, clock);
        await client.UnderGateAsync(() => client.HandleAsync(protocol.Start()));
        client.StartReading();
        return client;
    }

    /// <summary>Waits until credentials may be sent, then registers; returns the server's answer, or null when the
    /// connection ended first (see <see cref="EvilSession.Finished"/>).</summary>
    public async Task<AuthResponsePlaintext?> RegisterAsync(string email, string username, string password)
    {
        await UntilAsync(() => Client.CanSubmitCredentials);
        if (Finished.IsCompleted)
        {
            return null;
        }

        var request = new AuthRequestPlaintext { Op = AuthRequestPlaintext.Register, Email = email, Username = username, Password = password };
        await UnderGateAsync(() =>
        {
            _lastResponse = null;
            return HandleAsync(Client.SubmitCredentials(request));
        });
        await UntilAsync(() => _lastResponse is { Ok: false } || Established.IsCompleted);
        return _lastResponse;
    }

    private protected override Task OnEventsAsync(ProtocolOutput output)
    {
        _lastResponse = output.Events.OfType<AuthResponseReceived>().LastOrDefault()?.Response ?? _lastResponse;
        return Task.CompletedTask;
    }

    private async Task UntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        while (!condition() && !Finished.IsCompleted)
        {
            await Task.Delay(5, cts.Token);
        }
    }
}
