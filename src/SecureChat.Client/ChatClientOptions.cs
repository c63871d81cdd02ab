using SecureChat.Pki;
using SecureChat.Protocol;

namespace SecureChat.Client;

/// <summary>What a client needs to connect: its identity, how to check the server, and where to keep evidence.</summary>
public sealed class ChatClientOptions
{
    /// <summary>The client certificate and key.</summary>
    public required LocalIdentity Identity { get; init; }

    /// <summary>Checks the server certificate (root, expected name, revocations).</summary>
    public required CertificateValidator ServerValidator { get; init; }

    /// <summary>Protocol settings (clock, skew, group).</summary>
    public ProtocolSettings Settings { get; init; } = new();

    /// <summary>Folder for this client's transcripts; null keeps none (tests only).</summary>
    public string? TranscriptDirectory { get; init; }

    /// <summary>How long to wait for the server's answers during the handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the server's receipt when ending.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
