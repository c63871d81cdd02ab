namespace SecureChat.Protocol.Messages;

/// <summary>A chat message envelope (docs/PROTOCOL.md §4.5).</summary>
public sealed record ChatMessage : WireMessage
{
    /// <summary>Per-direction sequence number, from 1.</summary>
    public required long Seqno { get; init; }

    /// <summary>Sender's Unix time in milliseconds.</summary>
    public required long Ts { get; init; }

    /// <summary>AES-128-GCM ciphertext || tag, base64.</summary>
    public required string Ct { get; init; }

    /// <summary>Hiding commitment to the plaintext, base64.</summary>
    public required string Commit { get; init; }

    /// <summary>Sender's signature over <c>meta || ct || commit</c>, base64.</summary>
    public required string Sig { get; init; }
}
