namespace SecureChat.Protocol.Messages;

/// <summary>C→S register or login, encrypted under k_auth_c2s (docs/PROTOCOL.md §4.3).</summary>
public sealed record AuthRequestMessage : WireMessage
{
    /// <summary>AES-128-GCM ciphertext || tag, base64.</summary>
    public required string Ct { get; init; }
}
