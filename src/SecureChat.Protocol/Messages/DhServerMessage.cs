using System.Text.Json.Serialization;

namespace SecureChat.Protocol.Messages;

/// <summary>S→C signed DH share, in either phase (docs/PROTOCOL.md §4.2, §4.4).</summary>
public sealed record DhServerMessage : WireMessage
{
    /// <summary><c>auth</c> or <c>chat</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>Named group; must equal the client's.</summary>
    public required string Group { get; init; }

    /// <summary>Public value B, big-endian, modulus length, base64.</summary>
    [JsonPropertyName("B")]
    public required string B { get; init; }

    /// <summary>Signature over <c>TH(dh_client) || B</c>, base64.</summary>
    public required string Sig { get; init; }
}
