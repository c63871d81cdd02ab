using SecureChat.Accounts;
using SecureChat.Protocol;

namespace SecureChat.Server;

/// <summary>Everything sessions share: settings, keys, the user store, the room and the connection count.</summary>
public sealed class ServerRuntime(ServerOptions options, ServerPki pki, CredentialService credentials, ILoggerFactory loggerFactory, TimeProvider time)
{
    private int _connections;

    /// <summary>Settings in force.</summary>
    public ServerOptions Options { get; } = options;

    /// <summary>The server's identity and client policy.</summary>
    public ServerPki Pki { get; } = pki;

    /// <summary>Register and login.</summary>
    public CredentialService Credentials { get; } = credentials;

    /// <summary>The logged-in sessions.</summary>
    public ChatRoom Room { get; } = new(options.PresenceNoticeLimit);

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>Protocol settings derived from the options.</summary>
    public ProtocolSettings ProtocolSettings { get; } = new()
    {
        Time = time,
        MaxClockSkew = TimeSpan.FromSeconds(options.MaxClockSkewSeconds),
    };

    /// <summary>Open connections right now.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>True once shutdown has begun: new connections are refused.</summary>
    public bool IsStopping { get; set; }

    /// <summary>Counts a new connection; false when the limit is reached (the caller undoes nothing).</summary>
    public bool TryAddConnection()
    {
        if (Interlocked.Increment(ref _connections) <= Options.MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _connections);
        return false;
    }

    /// <summary>Uncounts a connection.</summary>
    public void RemoveConnection() => Interlocked.Decrement(ref _connections);
}
