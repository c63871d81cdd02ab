namespace SecureChat.Protocol.Messages;

/// <summary>S→C result of a register or login, encrypted under k_auth_s2c (docs/PROTOCOL.md §4.3).</summary>
public sealed record AuthResponseMessage : WireMessage
{
    /// <summary>AES-128-GCM ciphertext || tag, base64.</summary>
    public required string Ct { get; init; }
}
