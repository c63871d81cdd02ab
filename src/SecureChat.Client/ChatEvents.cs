using SecureChat.Protocol.Session;

namespace SecureChat.Client;

/// <summary>Something the server sent that the user should see.</summary>
public abstract record ChatEvent;

/// <summary>A verified, decrypted message.</summary>
/// <param name="Seqno">Server→client sequence number.</param>
/// <param name="From">Author, or null for a server notice.</param>
/// <param name="Text">Message text.</param>
/// <param name="Kind"><c>chat</c> or <c>system</c>.</param>
/// <param name="SentMs">The author's timestamp (relayed) or the server's.</param>
/// <param name="Event">For notices: <c>join</c>, <c>leave</c>, <c>roster</c>, <c>refused</c>, <c>joined</c>, <c>left</c>,
/// <c>rooms</c>, <c>who</c> or <c>history</c>.</param>
/// <param name="Users">For a roster notice: who is online; for <c>joined</c> and <c>who</c>: the room's members.</param>
public sealed record ChatMessageReceived(long Seqno, string? From, string Text, string Kind, long SentMs, string? Event = null, IReadOnlyList<string>? Users = null) : ChatEvent
{
    /// <summary>For a relayed message: <see cref="ProofLevel.Author"/> when the author's own per-user certificate signed
    /// it, <see cref="ProofLevel.Server"/> when only the server attests the author (shared certificate); null for the
    /// server's own messages and notices.</summary>
    public ProofLevel? Proof { get; init; }

    /// <summary>For a message proven by its author: the e-mail address the author's certificate names.</summary>
    public string? AuthorEmail { get; init; }

    /// <summary>For a relayed message: the conversation its author addressed (a room, or <c>@user</c> for a direct
    /// message); for a notice about a room (joined, left, who, history, a member's join or leave): that room.</summary>
    public string? To { get; init; }

    /// <summary>For a relayed message that is not live: <c>delayed</c> (sent while this user was away) or
    /// <c>history</c> (asked for); null for a live message.</summary>
    public string? Mark { get; init; }

    /// <summary>For a <c>rooms</c> notice: the user's rooms.</summary>
    public IReadOnlyList<string>? Rooms { get; init; }

    /// <summary>For a <c>who</c> notice: the members connected now (<see cref="ChatMessageReceived.Users"/> lists all members).</summary>
    public IReadOnlyList<string>? Online { get; init; }

    /// <summary>For a <c>refused</c> notice: why (for example <c>TOO_LARGE</c>).</summary>
    public string? Code { get; init; }

    /// <summary>For a <c>refused</c> notice: the seqno of this user's message that was not relayed.</summary>
    public long? Ref { get; init; }
}

/// <summary>The session ended; <paramref name="ReceiptsMatched"/> tells whether both receipts were exchanged and verified.</summary>
/// <param name="ReceiptsMatched">True when the server's receipt verified against this side's transcript.</param>
/// <param name="Error">Why it ended otherwise (code and reason), or null.</param>
public sealed record ChatEnded(bool ReceiptsMatched, SecureChat.Protocol.ProtocolException? Error) : ChatEvent;
