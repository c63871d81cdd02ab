using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>A server on a loopback port that runs the real <see cref="ServerProtocol"/> for every connection, with
/// <see cref="Plan"/> applied to what it sends. It accepts every register or login request, so an honest client
/// reaches the chat phase whenever the plan lets it.</summary>
public sealed class EvilServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<EvilServerSession> _sessions = Channel.CreateUnbounded<EvilServerSession>();
    private readonly List<EvilServerSession> _all = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly LocalIdentity _identity;
    private readonly CertificateValidator _clientValidator;
    private readonly Task _accepting;

    /// <summary>Starts listening; <paramref name="certificate"/> (with its key) defaults to <see cref="TestPki.Server"/>.</summary>
    public EvilServer(EvilPlan? plan = null, X509Certificate2? certificate = null)
    {
        Plan = plan ?? EvilPlan.Honest;
        _identity = new LocalIdentity(certificate ?? TestPki.Server);
        _clientValidator = new CertificateValidator(TestPki.ClientPolicy());
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port to connect to.</summary>
    public int Port { get; }

    /// <summary>The plan every new connection follows; replace it between connections.</summary>
    public EvilPlan Plan { get; set; }

    /// <summary>Waits for the next accepted connection.</summary>
    public async Task<EvilServerSession> NextSessionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? EvilSession.DefaultTimeout);
        return await _sessions.Reader.ReadAsync(cts.Token);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var session in _all)
        {
            await session.DisposeAsync();
        }

        _identity.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = true;
            var clock = new ShiftedClock();
            var protocol = new ServerProtocol(_identity, _clientValidator, new ProtocolSettings { Time = clock });
            var session = new EvilServerSession(socket, _identity, protocol, Plan, clock);
            _all.Add(session);
            _sessions.Writer.TryWrite(session);
        }
    }
}

/// <summary>One connection of an <see cref="EvilServer"/>.</summary>
public sealed class EvilServerSession : EvilSession
{
    internal EvilServerSession(Socket socket, LocalIdentity identity, ServerProtocol protocol, EvilPlan plan, ShiftedClock clock)
        : base(socket, isServer: true, identity, protocol, plan, clock)
    {
        Server = protocol;
        StartReading();
    }

    /// <summary>The server state machine.</summary>
    public ServerProtocol Server { get; }

    /// <summary>True if the client ever sent an <c>auth_request</c> (credentials) on this connection.</summary>
    public bool ReceivedCredentials => Context.Wire.Any(f => !f.Sent && f.Type == "auth_request");

    private protected override async Task OnEventsAsync(ProtocolOutput output)
    {
        foreach (var request in output.Events.OfType<AuthRequestReceived>())
        {
            await HandleAsync(Server.CompleteAuth(new AuthResponsePlaintext
            {
                Ok = true,
                Code = AuthCodes.Ok,
                Username = request.Request.Username ?? request.Request.Email,
                Message = "welcome",
            }));
        }
    }
}
