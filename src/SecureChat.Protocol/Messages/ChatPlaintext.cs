namespace SecureChat.Protocol.Messages;

/// <summary>The decrypted body of a <c>msg</c> (docs/PROTOCOL.md §4.5): a JSON object with at least
/// <c>text</c> and <c>r</c>; relayed messages add <c>from</c>, the original <c>ts</c> and a <c>kind</c>.</summary>
public sealed record ChatPlaintext
{
    /// <summary><see cref="Kind"/> of an ordinary user message.</summary>
    public const string ChatKind = "chat";

    /// <summary><see cref="Kind"/> of a server notice (join, leave).</summary>
    public const string SystemKind = "system";

    /// <summary><see cref="Kind"/> of a client's request to the server (join a room, ask for history; §9.8).</summary>
    public const string CommandKind = "command";

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

    /// <summary>The conversation the message is addressed to (§9.6); absent means the shared room
    /// <see cref="Session.AuthorOrigin.DefaultRoom"/>.</summary>
    public string? To { get; init; }

    /// <summary>On a relayed copy: the author's own message, which proves who wrote it (§9.6).</summary>
    public MessageOrigin? Origin { get; init; }

    /// <summary>On a <c>refused</c> notice: why (§9.7), for example <c>TOO_LARGE</c>.</summary>
    public string? Code { get; init; }

    /// <summary>On a <c>refused</c> notice: the seqno of the refused message in the recipient's own direction; on a
    /// <c>history</c> notice: how many history copies came before it.</summary>
    public long? Ref { get; init; }

    /// <summary>On a <c>command</c> plaintext (§9.8): <c>join</c>, <c>leave</c>, <c>rooms</c>, <c>who</c> or <c>history</c>.</summary>
    public string? Op { get; init; }

    /// <summary>On a <c>join</c> or <c>history</c> command: how many past messages to send (§9.8).</summary>
    public long? Limit { get; init; }

    /// <summary>On a relayed copy that is not live: <c>delayed</c> (stored while the recipient was away) or
    /// <c>history</c> (asked for); §9.8.4.</summary>
    public string? Mark { get; init; }

    /// <summary>On a <c>rooms</c> notice: the rooms the user is a member of, sorted.</summary>
    public IReadOnlyList<string>? Rooms { get; init; }

    /// <summary>On a <c>who</c> notice: the members (in <see cref="Users"/>) who are connected now, sorted.</summary>
    public IReadOnlyList<string>? Online { get; init; }
}
