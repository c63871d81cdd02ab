using System.Buffers;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>Conversations (protocol §9.8): how rooms and people are named in <c>to</c>, the commands a client sends
/// to the server, the marks on copies that are not live, and the refusal codes. Pure rules, no state.</summary>
public static class Conversations
{
    /// <summary>The shared room of version 1, which every logged-in user is in.</summary>
    public const string DefaultRoom = "#lobby";

    /// <summary>The longest room name, <c>#</c> included.</summary>
    public const int MaxRoomNameLength = 33;

    /// <summary>The most past messages one <c>join</c> or <c>history</c> command may ask for.</summary>
    public const int MaxHistory = 100;

    /// <summary>The most rooms one user may be a member of (besides <see cref="DefaultRoom"/>).</summary>
    public const int MaxRoomsPerUser = 64;

    /// <summary>Mark of a copy stored while its recipient was away and delivered at a later login.</summary>
    public const string DelayedMark = "delayed";

    /// <summary>Mark of a copy sent because the recipient asked for past messages.</summary>
    public const string HistoryMark = "history";

    /// <summary>Command: become a member of a room (created on first join), optionally with its last messages.</summary>
    public const string JoinOp = "join";

    /// <summary>Command: stop being a member of a room.</summary>
    public const string LeaveOp = "leave";

    /// <summary>Command: list the user's rooms.</summary>
    public const string RoomsOp = "rooms";

    /// <summary>Command: list a room's members and who of them is connected.</summary>
    public const string WhoOp = "who";

    /// <summary>Command: send the last messages of a room or of the direct conversation with a person.</summary>
    public const string HistoryOp = "history";

    /// <summary>Refusal code: the author is not a member of the room it wrote or asked about.</summary>
    public const string NotMember = "NOT_MEMBER";

    /// <summary>Refusal code: <c>to</c> names a person who has no account.</summary>
    public const string UnknownUser = "UNKNOWN_USER";

    /// <summary>Refusal code: a command that is malformed or not allowed (unknown op, bad name, limit out of range).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>Refusal code: the server could not store the message (its database failed), so it relayed nothing.</summary>
    public const string StorageUnavailable = "STORAGE_UNAVAILABLE";

    /// <summary>True for a room name: <c>#</c> then 1–32 characters of <c>[a-z0-9_-]</c>, the first a letter or digit.</summary>
    public static bool IsRoom(string? to) =>
        to is { Length: >= 2 and <= MaxRoomNameLength } && to[0] == '#' && (char.IsAsciiLetterLower(to[1]) || char.IsAsciiDigit(to[1]))
        && to.AsSpan(2).IndexOfAnyExcept(RoomCharacters) < 0;

    /// <summary>True for a person: <c>@</c> then a username (3–32 characters of <c>[A-Za-z0-9_.-]</c>).</summary>
    public static bool IsPerson(string? to) =>
        to is { Length: >= 4 and <= 33 } && to[0] == '@' && to.AsSpan(1).IndexOfAnyExcept(UsernameCharacters) < 0;

    /// <summary>The username a person address names (without <c>@</c>).</summary>
    public static string PersonOf(string to) => IsPerson(to) ? to[1..] : throw new ArgumentException("Not a person address.", nameof(to));

    /// <summary>The address of a person: <c>@</c> and the username.</summary>
    public static string AddressOf(string username) => "@" + username;

    /// <summary>The conversation a plaintext is addressed to: its <c>to</c>, or <see cref="DefaultRoom"/> when absent.</summary>
    public static string Of(ChatPlaintext plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return plaintext.To ?? DefaultRoom;
    }

    /// <summary>The thread a message belongs to in the server's store and in history: the room, or for two people
    /// <c>@a @b</c> with both usernames lower-cased and sorted, so that both directions share one thread.</summary>
    public static string ThreadOf(string author, string to)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(to);
        if (!IsPerson(to))
        {
            return to;
        }

        var a = author.ToLowerInvariant();
        var b = PersonOf(to).ToLowerInvariant();
        return string.CompareOrdinal(a, b) <= 0 ? $"@{a} @{b}" : $"@{b} @{a}";
    }

    /// <summary>True when two usernames name the same account (usernames are unique ignoring ASCII case).</summary>
    public static bool SameUser(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a <c>command</c> plaintext (§9.8.2); null with <paramref name="problem"/> set when it is malformed.</summary>
    public static ConversationCommand? ParseCommand(ChatPlaintext plaintext, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        problem = null;
        var limit = plaintext.Limit ?? 0;
        if (limit is < 0 or > MaxHistory)
        {
            problem = $"limit must be between 0 and {MaxHistory}";
            return null;
        }

        switch (plaintext.Op)
        {
            case JoinOp or LeaveOp or WhoOp when !IsRoom(plaintext.To):
                problem = $"'{plaintext.Op}' needs a room name in 'to' (# and 1-32 of a-z, 0-9, _ and -)";
                return null;
            case LeaveOp when plaintext.To == DefaultRoom:
                problem = $"every user stays in {DefaultRoom}";
                return null;
            case HistoryOp when !IsRoom(plaintext.To) && !IsPerson(plaintext.To):
                problem = "'history' needs a room or a person in 'to'";
                return null;
            case JoinOp or LeaveOp or WhoOp or HistoryOp:
                return new ConversationCommand(plaintext.Op, plaintext.To!, (int)limit);
            case RoomsOp:
                return new ConversationCommand(RoomsOp, null, 0);
            default:
                problem = "unknown command";
                return null;
        }
    }

    private static readonly SearchValues<char> RoomCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-");

    private static readonly SearchValues<char> UsernameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
}

/// <summary>A well-formed command (§9.8.2).</summary>
/// <param name="Op">One of the <c>*Op</c> constants of <see cref="Conversations"/>.</param>
/// <param name="Target">The room or person it concerns (null for <c>rooms</c>).</param>
/// <param name="Limit">How many past messages (join, history).</param>
public sealed record ConversationCommand(string Op, string? Target, int Limit);
