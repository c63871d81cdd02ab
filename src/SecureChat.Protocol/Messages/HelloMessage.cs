namespace SecureChat.Protocol.Messages;

/// <summary>C→S certificate hello (docs/PROTOCOL.md §4.1).</summary>
public sealed record HelloMessage : WireMessage
{
    /// <summary>Protocol version; only 1 exists.</summary>
    public required long Version { get; init; }

    /// <summary>The client certificate, PEM.</summary>
    public required string ClientCert { get; init; }

    /// <summary>32 random bytes, base64.</summary>
    public required string Nonce { get; init; }
}
