namespace SecureChat.Protocol.Messages;

/// <summary>The decrypted body of a <c>msg</c> (docs/PROTOCOL.md §4.5): a JSON object with at least
/// <c>text</c> and <c>r</c>; relayed messages add <c>from</c>, the original <c>ts</c> and a <c>kind</c>.</summary>
public sealed record ChatPlaintext
{
    /// <summary><see cref="Kind"/> of an ordinary user message.</summary>
    public const string ChatKind = "chat";

    /// <summary><see cref="Kind"/> of a server notice (join, leave).</summary>
    public const string SystemKind = "system";

    /// <summary>The message text.</summary>
    public required string Text { get; init; }

    /// <summary>16 fresh random bytes, base64: makes the commitment hiding.</summary>
    public required string R { get; init; }

    /// <summary>Original author, set by the server when it relays.</summary>
    public string? From { get; init; }

    /// <summary><c>chat</c> or <c>system</c>; absent means <c>chat</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The author's original timestamp, set by the server when it relays.</summary>
    public long? Ts { get; init; }

    /// <summary>For server notices: <c>join</c>, <c>leave</c> or <c>roster</c>.</summary>
    public string? Event { get; init; }

    /// <summary>For a <c>roster</c> notice the users online, sorted; for <c>join</c>/<c>leave</c> the one user concerned.
    /// (<see cref="From"/> always names an author, so server notices leave it empty.)</summary>
    public IReadOnlyList<string>? Users { get; init; }
}
