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
    /// <summary>The configuration section name.</summary>
    public const string Section = "SecureChat";

    /// <summary>Address and port to listen on; port 0 picks a free one.</summary>
    public string Listen { get; set; } = "127.0.0.1:7443";

    /// <summary>Folder with <c>ca.crt</c>, <c>server.crt</c>, <c>server.key</c> and optionally <c>revoked.txt</c>.</summary>
    public string Pki { get; set; } = "./pki";

    /// <summary><c>sqlite:PATH</c> (default) or <c>mysql:CONNECTION-STRING</c>.</summary>
    public string Db { get; set; } = "sqlite:./data/users.db";

    /// <summary>Folder for one transcript file per session.</summary>
    public string Transcripts { get; set; } = "./data/transcripts";

    /// <summary>Name the server certificate is issued for (informational; clients check it).</summary>
    public string ServerName { get; set; } = "server.local";

    /// <summary>Name required in client certificates in shared identity mode.</summary>
    public string ClientName { get; set; } = "client.local";

    /// <summary><c>shared</c> or <c>per-user</c>.</summary>
    public string Identity { get; set; } = "shared";

    /// <summary>Seconds from accept to the end of the handshake (k_chat established).</summary>
    public double HandshakeTimeoutSeconds { get; set; } = 15;

    /// <summary>Minutes without a frame from the client before the session is closed.</summary>
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

    /// <summary>Largest room in which joins and leaves are announced (each notice is signed once per recipient);
    /// 0 turns presence notices, including the roster sent on joining, off.</summary>
    public int PresenceNoticeLimit { get; set; } = 100;

    /// <summary>Largest frame body accepted (MAX_FRAME).</summary>
    public int MaxFrameBytes { get; set; } = 65536;

    /// <summary>Largest accepted |ts − now| of a message, in seconds.</summary>
    public double MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>Seconds to wait for a client's receipt when the server ends a session at shutdown (an idle session gets <c>TIMEOUT</c> instead).</summary>
    public double ReceiptWaitSeconds { get; set; } = 5;

    /// <summary>Whether the server's transcripts keep message plaintext (off: ciphertext evidence only).</summary>
    public bool KeepPlaintext { get; set; }

    /// <summary>Argon2id memory in KiB.</summary>
    public int Argon2MemoryKiB { get; set; } = Argon2Parameters.Default.MemoryKiB;

    /// <summary>Argon2id passes.</summary>
    public int Argon2Iterations { get; set; } = Argon2Parameters.Default.Iterations;

    /// <summary>Argon2id lanes.</summary>
    public int Argon2Parallelism { get; set; } = Argon2Parameters.Default.Parallelism;

    /// <summary>The parsed identity mode.</summary>
    public IdentityMode IdentityMode => Identity.Trim().ToUpperInvariant() switch
    {
        "SHARED" => IdentityMode.Shared,
        "PER-USER" or "PERUSER" or "PER_USER" => IdentityMode.PerUser,
        _ => throw new InvalidOperationException($"--identity must be 'shared' or 'per-user', not '{Identity}'."),
    };

    /// <summary>The Argon2id parameters in force.</summary>
    public Argon2Parameters Argon2 => new(Argon2MemoryKiB, Argon2Iterations, Argon2Parallelism);
}
