using SecureChat.Crypto;

namespace SecureChat.Server;

/// <summary>How clients prove who they are beyond the login (protocol §6).</summary>
public enum IdentityMode
{
    /// <summary>Every client presents the shared <c>client.local</c> certificate.</summary>
    Shared,

    /// <summary>Each user has a certificate whose CN or e-mail SAN is the account's e-mail.</summary>
    PerUser,
}

/// <summary>The server's settings, bound from the configuration section <c>SecureChat</c> (command-line flags,
/// <c>SECURECHAT_…</c> environment variables and an optional JSON file all feed it).</summary>
public sealed class ServerOptions
{
    /// <summary>Address and port to listen on; port 0 picks a free one.</summary>
    public string Listen { get; set; } = "127.0.0.1:7443";

    /// <summary>Folder with <c>ca.crt</c>, <c>server.crt</c>, <c>server.key</c> and optionally <c>revoked.txt</c>.</summary>
    public string Pki { get; set; } = "./pki";

    /// <summary><c>sqlite:PATH</c> (default) or <c>mysql:CONNECTION-STRING</c>.</summary>
    public string Db { get; set; } = "sqlite:./data/users.db";

    /// <summary>Folder for one transcript file per session.</summary>
    public string Transcripts { get; set; } = "./data/transcripts";

    /// <summary>Name the server certificate must be issued for: clients check it, and the server refuses to start
    /// with a certificate that is not valid for it.</summary>
    public string ServerName { get; set; } = "server.local";

    /// <summary>Name required in client certificates in shared identity mode.</summary>
    public string ClientName { get; set; } = "client.local";

    /// <summary><c>shared</c> or <c>per-user</c>.</summary>
    public string Identity { get; set; } = "shared";

    /// <summary>Seconds from accept to the end of the handshake (k_chat established).</summary>
    public double HandshakeTimeoutSeconds { get; set; } = 15;

    /// <summary>Minutes without a frame in either direction before the session is closed (a frame delivered to the
    /// client counts, so a user who only reads stays connected).</summary>
    public double IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>Concurrent connections; beyond it new ones get <c>SERVER_BUSY</c>.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Messages queued for one recipient before senders have to wait.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>Seconds a socket write to a recipient may stay pending before, with a full queue, that recipient
    /// counts as not reading and is disconnected.</summary>
    public double StallThresholdSeconds { get; set; } = 2;

    /// <summary>Seconds a sender waits for room in a recipient's full queue before that recipient is disconnected.</summary>
    public double SlowReaderTimeoutSeconds { get; set; } = 10;

    /// <summary>How many sessions may seal relayed messages at once: by default one core fewer than the machine has,
    /// so that a saturated room leaves the handshakes and logins a core of their own.</summary>
    public int FanOutConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Messages the server may owe its recipients (queued in every outbox together) before it refuses new
    /// messages with a <c>refused</c> <c>SERVER_BUSY</c> notice to their authors instead of relaying them.</summary>
    public int MaxRelayBacklog { get; set; } = 20_000;

    /// <summary>Largest room in which joins and leaves are announced (each notice is signed once per recipient);
    /// 0 turns presence notices, including the roster sent on joining, off.</summary>
    public int PresenceNoticeLimit { get; set; } = 100;

    /// <summary>Largest accepted |ts − now| of a message, in seconds.</summary>
    public double MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Seconds to wait for a client's receipt when the server ends a session at shutdown (an idle session gets <c>TIMEOUT</c> instead).</summary>
    public double ReceiptWaitSeconds { get; set; } = 5;

    /// <summary>Whether the server's transcripts keep message plaintext (off: ciphertext evidence only).</summary>
    public bool KeepPlaintext { get; set; }

    /// <summary>Days a stored message (room history, direct messages, messages waiting for an offline recipient) is
    /// kept before it is purged.</summary>
    public double MessageRetentionDays { get; set; } = 30;

    /// <summary>Redis <c>HOST:PORT</c> when this server is one node of several sharing one database (the bus for relayed
    /// messages and presence); empty for a single node.</summary>
    public string Redis { get; set; } = "";

    /// <summary>This node's name, unique among the nodes sharing the Redis (required with <see cref="Redis"/>).</summary>
    public string Node { get; set; } = "";

    /// <summary>Seconds a node's presence (its online users) outlives its last heartbeat in Redis; the node rewrites it
    /// every third of this. A node that dies without removing its entry drops out of everyone's presence within it.</summary>
    public double PresenceTtlSeconds { get; set; } = 15;

    /// <summary>Argon2id memory in KiB.</summary>
    public int Argon2MemoryKiB { get; set; } = Argon2Parameters.Default.MemoryKiB;

    /// <summary>Argon2id passes.</summary>
    public int Argon2Iterations { get; set; } = Argon2Parameters.Default.Iterations;

    /// <summary>Argon2id lanes.</summary>
    public int Argon2Parallelism { get; set; } = Argon2Parameters.Default.Parallelism;

    /// <summary>The parsed identity mode (<see cref="Validate"/> has refused any other spelling at start-up).</summary>
    public IdentityMode IdentityMode => ParseIdentity(Identity) ?? IdentityMode.Shared;

    /// <summary>The Argon2id parameters in force.</summary>
    public Argon2Parameters Argon2 => new(Argon2MemoryKiB, Argon2Iterations, Argon2Parallelism);

    /// <summary>Checks every setting at start-up and returns one sentence per problem (empty when all are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ParseIdentity(Identity) is null)
        {
            problems.Add($"--identity must be 'shared' or 'per-user', not '{Identity}'.");
        }

        Positive(problems, nameof(HandshakeTimeoutSeconds), HandshakeTimeoutSeconds);
        Positive(problems, nameof(IdleTimeoutMinutes), IdleTimeoutMinutes);
        Positive(problems, nameof(MaxConnections), MaxConnections);
        Positive(problems, nameof(SendQueueCapacity), SendQueueCapacity);
        Positive(problems, nameof(FanOutConcurrency), FanOutConcurrency);
        Positive(problems, nameof(MaxRelayBacklog), MaxRelayBacklog);
        Positive(problems, nameof(StallThresholdSeconds), StallThresholdSeconds);
        Positive(problems, nameof(SlowReaderTimeoutSeconds), SlowReaderTimeoutSeconds);
        Positive(problems, nameof(MaxClockSkewSeconds), MaxClockSkewSeconds);
        Positive(problems, nameof(ReceiptWaitSeconds), ReceiptWaitSeconds);
        Positive(problems, nameof(MessageRetentionDays), MessageRetentionDays);
        Positive(problems, nameof(PresenceTtlSeconds), PresenceTtlSeconds);
        if (MessageRetentionDays > 36_500)
        {
            problems.Add($"{nameof(MessageRetentionDays)} must be at most 36500 (100 years), not {MessageRetentionDays}.");
        }

        if (PresenceNoticeLimit < 0)
        {
            problems.Add($"{nameof(PresenceNoticeLimit)} must be 0 or more, not {PresenceNoticeLimit}.");
        }

        if (!string.IsNullOrWhiteSpace(Redis) && (string.IsNullOrWhiteSpace(Node) || Node.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            problems.Add($"{nameof(Node)} must name this node (no spaces) when {nameof(Redis)} is set.");
        }

        foreach (var (name, value) in new[] { (nameof(Listen), Listen), (nameof(Pki), Pki), (nameof(Db), Db), (nameof(Transcripts), Transcripts), (nameof(ServerName), ServerName), (nameof(ClientName), ClientName) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{name} must not be empty.");
            }
        }

        return problems;
    }

    private static IdentityMode? ParseIdentity(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "SHARED" => IdentityMode.Shared,
        "PER-USER" or "PERUSER" or "PER_USER" => IdentityMode.PerUser,
        _ => null,
    };

    private static void Positive(List<string> problems, string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            problems.Add($"{name} must be a positive number, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }
}
