namespace SecureChat.Protocol.Messages;

/// <summary>S→C certificate hello (docs/PROTOCOL.md §4.1).</summary>
public sealed record ServerHelloMessage : WireMessage
{
    /// <summary>Protocol version; only 1 exists.</summary>
    public required long Version { get; init; }

    /// <summary>The server certificate, PEM.</summary>
    public required string ServerCert { get; init; }

    /// <summary>32 random bytes, base64.</summary>
    public required string Nonce { get; init; }
}
