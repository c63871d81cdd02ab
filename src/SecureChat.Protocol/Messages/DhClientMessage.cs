using System.Text.Json.Serialization;

namespace SecureChat.Protocol.Messages;

/// <summary>C→S signed DH share, in either phase (docs/PROTOCOL.md §4.2, §4.4).</summary>
public sealed record DhClientMessage : WireMessage
{
    /// <summary><c>auth</c> or <c>chat</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>Named group, e.g. <c>ffdhe2048</c>.</summary>
    public required string Group { get; init; }

    /// <summary>Public value A, big-endian, modulus length, base64.</summary>
    [JsonPropertyName("A")]
    public required string A { get; init; }

    /// <summary>Signature over <c>TH(previous frame) || group || 0x00 || A</c>, base64.</summary>
    public required string Sig { get; init; }
}
