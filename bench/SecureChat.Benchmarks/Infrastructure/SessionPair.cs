using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Benchmarks.Infrastructure;

/// <summary>A client and a server state machine wired back to back in memory: every frame one produces is handed
/// to the other at once, and a register/login request is always accepted, so a run measures protocol CPU only
/// (no sockets, no password hashing).</summary>
internal sealed class SessionPair : IDisposable
{
    private static readonly AuthRequestPlaintext Login = new()
    {
        Op = AuthRequestPlaintext.Login,
        Email = "alice@example.org",
        Password = "correct horse battery staple",
    };

    private static readonly AuthResponsePlaintext Accepted = new() { Ok = true, Code = AuthCodes.Ok, Username = "alice", Message = "welcome" };

    private readonly Queue<(bool ToServer, byte[] Frame)> _inFlight = new();

    public SessionPair(SessionParties parties)
    {
        ArgumentNullException.ThrowIfNull(parties);
        Client = new ClientProtocol(parties.ClientIdentity, parties.ServerValidator, parties.Settings);
        Server = new ServerProtocol(parties.ServerIdentity, parties.ClientValidator, parties.Settings);
    }

    public ClientProtocol Client { get; }

    public ServerProtocol Server { get; }

    /// <summary>Sees every output as it is produced: true when the client produced it.</summary>
    public Action<bool, ProtocolOutput>? Observer { get; set; }

    /// <summary>Runs hello, the signed DH for k_auth, one login and the signed DH for k_chat.</summary>
    public SessionPair Handshake()
    {
        Deliver(toServer: true, Client.Start());
        Deliver(toServer: true, Client.SubmitCredentials(Login));
        if (Client.Chat is null || Server.Chat is null)
        {
            throw new InvalidOperationException("The handshake did not reach the chat phase.");
        }

        return this;
    }

    /// <summary>One side sends a text; the other receives it.</summary>
    public void Say(bool fromClient, string text) => Deliver(toServer: fromClient, Endpoint(fromClient).SendText(text));

    /// <summary>One side sends its receipt; the other answers with its own.</summary>
    public void End(bool fromClient) => Deliver(toServer: fromClient, Endpoint(fromClient).EndSession());

    /// <summary>Delivers the frames of <paramref name="output"/> and everything they cause until the wire is quiet.</summary>
    public void Deliver(bool toServer, ProtocolOutput output)
    {
        Produced(byClient: toServer, output);
        while (_inFlight.TryDequeue(out var next))
        {
            var receiver = Endpoint(fromClient: !next.ToServer);
            Produced(byClient: !next.ToServer, receiver.Receive(next.Frame));
            if (Server.IsAwaitingAuthDecision)
            {
                Produced(byClient: false, Server.CompleteAuth(Accepted));
            }
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }

    private ProtocolEndpoint Endpoint(bool fromClient) => fromClient ? Client : Server;

    private void Produced(bool byClient, ProtocolOutput output)
    {
        Observer?.Invoke(byClient, output);
        foreach (var frame in output.Frames)
        {
            _inFlight.Enqueue((byClient, frame));
        }
    }
}

/// <summary>What outlives one connection: both identities (key handles opened once, as a host does at start-up),
/// both validators and the settings.</summary>
internal sealed class SessionParties : IDisposable
{
    public SessionParties()
    {
        ClientIdentity = new LocalIdentity(BenchPki.Client);
        ServerIdentity = new LocalIdentity(BenchPki.Server);
    }

    public LocalIdentity ClientIdentity { get; }

    public LocalIdentity ServerIdentity { get; }

    public CertificateValidator ServerValidator { get; } = BenchPki.ServerValidator();

    public CertificateValidator ClientValidator { get; } = BenchPki.ClientValidator();

    public ProtocolSettings Settings { get; } = new();

    /// <summary>A fresh pair of state machines for one connection.</summary>
    public SessionPair NewPair() => new(this);

    public void Dispose()
    {
        ClientIdentity.Dispose();
        ServerIdentity.Dispose();
    }
}
