namespace SecureChat.Protocol.Messages;

/// <summary>What a host asks to send as one chat message; the protocol adds the commitment randomness, the
/// seqno and the timestamp (§4.5).</summary>
/// <param name="Text">The message text.</param>
/// <param name="From">For a relayed message: its author.</param>
/// <param name="Kind"><see cref="ChatPlaintext.ChatKind"/> or <see cref="ChatPlaintext.SystemKind"/>; absent means chat.</param>
/// <param name="OriginalTs">For a relayed message: the author's timestamp.</param>
/// <param name="Presence">For a server notice: what happened.</param>
/// <param name="Users">For a roster notice the users online; for a join or leave the one user concerned.</param>
/// <param name="To">The conversation the message is addressed to (§9.6).</param>
/// <param name="Origin">For a relayed message: the author's own message (§9.6).</param>
/// <param name="Code">For a <c>refused</c> notice: why (§9.7).</param>
/// <param name="Ref">For a <c>refused</c> notice: the seqno of the refused message; for a <c>history</c> notice the count.</param>
/// <param name="Op">For a command (§9.8): what it asks.</param>
/// <param name="Limit">For a <c>join</c> or <c>history</c> command: how many past messages.</param>
/// <param name="Mark">For a relayed copy that is not live: <c>delayed</c> or <c>history</c>.</param>
/// <param name="Rooms">For a <c>rooms</c> notice: the user's rooms.</param>
/// <param name="Online">For a <c>who</c> notice: the members connected now.</param>
public sealed record OutgoingChat(
    string Text,
    string? From = null,
    string? Kind = null,
    long? OriginalTs = null,
    PresenceEvent? Presence = null,
    IReadOnlyList<string>? Users = null,
    string? To = null,
    MessageOrigin? Origin = null,
    string? Code = null,
    long? Ref = null,
    string? Op = null,
    long? Limit = null,
    string? Mark = null,
    IReadOnlyList<string>? Rooms = null,
    IReadOnlyList<string>? Online = null);

/// <summary>Why the protocol refused to send a message; the session goes on and no seqno was used.</summary>
public enum SendRefusal
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The text is longer than the protocol allows (16 KiB of UTF-8).</summary>
    TextTooLong,

    /// <summary>The sealed message would not fit in one frame (JSON escaping and base64 grow it).</summary>
    FrameTooLarge,

    /// <summary>The plaintext is larger than the largest one a server can always relay with its origin (§9.6).</summary>
    TooLargeToRelay,
}

/// <summary>What a server notice announces (the <c>event</c> member of a system message).</summary>
public enum PresenceEvent
{
    /// <summary>A user joined.</summary>
    Join,

    /// <summary>A user left.</summary>
    Leave,

    /// <summary>Who is online, sent to a user who has just joined.</summary>
    Roster,

    /// <summary>One of the user's own messages was not relayed; <c>code</c> and <c>ref</c> say why and which (§9.7).</summary>
    Refused,

    /// <summary>The answer to a <c>join</c> command: the user is a member of <c>to</c>; <c>users</c> lists its members.</summary>
    Joined,

    /// <summary>The answer to a <c>leave</c> command: the user is no longer a member of <c>to</c>.</summary>
    Left,

    /// <summary>The user's rooms (<c>rooms</c>): the answer to a <c>rooms</c> command, and sent once after login.</summary>
    Rooms,

    /// <summary>The answer to a <c>who</c> command: the members of <c>to</c> and who of them is connected.</summary>
    Who,

    /// <summary>Ends a batch of history copies for <c>to</c>; <c>ref</c> counts them.</summary>
    History,
}

/// <summary>Wire spelling of <see cref="PresenceEvent"/>.</summary>
public static class PresenceEvents
{
    /// <summary>The event's wire name (§9.3, §9.7, §9.8).</summary>
    public static string ToWire(this PresenceEvent presence) => presence switch
    {
        PresenceEvent.Join => "join",
        PresenceEvent.Leave => "leave",
        PresenceEvent.Refused => "refused",
        PresenceEvent.Joined => "joined",
        PresenceEvent.Left => "left",
        PresenceEvent.Rooms => "rooms",
        PresenceEvent.Who => "who",
        PresenceEvent.History => "history",
        _ => "roster",
    };

    /// <summary>Parses the exact wire spelling; null for anything else (unknown events are ignored, not refused).</summary>
    public static PresenceEvent? FromWire(string? text) => text switch
    {
        "join" => PresenceEvent.Join,
        "leave" => PresenceEvent.Leave,
        "roster" => PresenceEvent.Roster,
        "refused" => PresenceEvent.Refused,
        "joined" => PresenceEvent.Joined,
        "left" => PresenceEvent.Left,
        "rooms" => PresenceEvent.Rooms,
        "who" => PresenceEvent.Who,
        "history" => PresenceEvent.History,
        _ => null,
    };
}
