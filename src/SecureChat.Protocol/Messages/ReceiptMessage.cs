namespace SecureChat.Protocol.Messages;

/// <summary>A signed session receipt (docs/PROTOCOL.md §4.6).</summary>
public sealed record ReceiptMessage : WireMessage
{
    /// <summary>Who issued it: <c>client</c> or <c>server</c>.</summary>
    public required string Peer { get; init; }

    /// <summary>The 16-byte session id, lowercase hex.</summary>
    public required string SessionId { get; init; }

    /// <summary>Number of client→server messages covered.</summary>
    public required long C2sLastSeq { get; init; }

    /// <summary>Number of server→client messages covered.</summary>
    public required long S2cLastSeq { get; init; }

    /// <summary>Canonical transcript hash over those prefixes, lowercase hex.</summary>
    public required string TranscriptSha256 { get; init; }

    /// <summary>Issuer's signature, base64.</summary>
    public required string Sig { get; init; }
}
