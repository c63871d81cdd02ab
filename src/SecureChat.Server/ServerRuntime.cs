using System.Collections.Concurrent;
using SecureChat.Accounts;
using SecureChat.Accounts.Conversations;
using SecureChat.Evidence;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Server.Cluster;
using SecureChat.Server.Rooms;

namespace SecureChat.Server;

/// <summary>Everything sessions share: settings, keys, the stores, the rooms and the connection count.</summary>
public sealed class ServerRuntime(ServerOptions options, ServerPki pki, CredentialService credentials, ILoggerFactory loggerFactory, TimeProvider time,
    IUserStore users, IConversationStore conversations, IMessageBus? bus = null)
{
    private int _connections;
    private bool _stopping;
    private long _relayBacklog;

    /// <summary>Settings in force.</summary>
    public ServerOptions Options { get; } = options;

    /// <summary>The server's identity and client policy.</summary>
    public ServerPki Pki { get; } = pki;

    /// <summary>Register and login.</summary>
    public CredentialService Credentials { get; } = credentials;

    /// <summary>The logged-in sessions: the shared room <c>#lobby</c>.</summary>
    public ChatRoom Room => Conversations.Lobby;

    /// <summary>Rooms, direct messages, offline delivery and history.</summary>
    public ConversationHub Conversations { get; } = new(conversations, users, new ChatRoom(options.PresenceNoticeLimit),
        TimeSpan.FromDays(options.MessageRetentionDays), time, loggerFactory.CreateLogger<ConversationHub>(), bus ?? new LocalBus(),
        pki.ClientValidator.ForPeer(ExpectedPeer.Client, null), new ProtocolSettings { Time = time, MaxClockSkew = TimeSpan.FromSeconds(options.MaxClockSkewSeconds) });

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>Protocol settings derived from the options.</summary>
    public ProtocolSettings ProtocolSettings { get; } = new()
    {
        Time = time,
        MaxClockSkew = TimeSpan.FromSeconds(options.MaxClockSkewSeconds),
    };

    /// <summary>How many sessions may seal relayed messages at once (<see cref="ServerOptions.FanOutConcurrency"/>).</summary>
    public SemaphoreSlim FanOutSlots { get; } = new(options.FanOutConcurrency, options.FanOutConcurrency);

    /// <summary>Messages queued in every session's outbox and not yet sealed: the fan-out the server still owes.</summary>
    public long RelayBacklog => Interlocked.Read(ref _relayBacklog);

    /// <summary>Every session that is running, in its handshake or after (the room holds only the logged-in ones).</summary>
    public ConcurrentDictionary<ServerSession, byte> Sessions { get; } = new();

    /// <summary>How the last shutdown ended the sessions it found.</summary>
    public ShutdownSummary? LastShutdown { get; set; }

    /// <summary>Opens a session's transcript file from its header (the session's evidence goes there).</summary>
    /// <remarks>Replaceable so that tests can fail the disk under a running session.</remarks>
    public Func<TranscriptHeader, ITranscriptFile> OpenTranscript { get; set; } =
        header => TranscriptWriter.Create(options.Transcripts, header, options.KeepPlaintext);

    /// <summary>Open connections right now.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>True once shutdown has begun: new connections are refused, and a handshake that completes is ended
    /// with receipts at once.</summary>
    public bool IsStopping
    {
        get => Volatile.Read(ref _stopping);
        set => Volatile.Write(ref _stopping, value);
    }

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

    /// <summary>Counts messages entering (positive) or leaving (negative) an outbox.</summary>
    public void CountBacklog(long change) => Interlocked.Add(ref _relayBacklog, change);

    /// <summary>Uncounts a connection.</summary>
    public void RemoveConnection() => Interlocked.Decrement(ref _connections);
}

/// <summary>What a shutdown did: how many sessions it ended with both receipts, and how many otherwise.</summary>
/// <param name="WithReceipts">Sessions that ended with both receipts exchanged.</param>
/// <param name="Otherwise">Sessions that ended another way (refused mid-handshake, no receipt from the client, lost).</param>
public sealed record ShutdownSummary(int WithReceipts, int Otherwise);
