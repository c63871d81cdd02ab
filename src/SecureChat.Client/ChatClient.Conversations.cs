using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Client;

/// <summary>Rooms and direct messages (protocol §9.8): addressing a message, and the commands whose answers arrive as
/// notices on <see cref="ChatClient.Events"/>.</summary>
public sealed partial class ChatClient
{
    /// <summary>The author sessions and seqnos of the copies already shown in this session.</summary>
    private readonly HashSet<(string Session, long Seqno)> _shown = [];

    /// <summary>Sends one message to a room (<c>#ops</c>) or a person (<c>@bob</c>).</summary>
    /// <returns>False when the session has already ended; nothing was sent.</returns>
    /// <exception cref="ArgumentException">The address is neither a room nor a person, or the text is too long; the
    /// session goes on.</exception>
    public Task<bool> SendAsync(string text, string to, CancellationToken cancellationToken = default)
    {
        RequireConversation(to, nameof(to));
        return SendContentAsync(new OutgoingChat(text, To: to), cancellationToken);
    }

    /// <summary>Joins a room (created on first join); the server answers with a <c>joined</c> notice listing its
    /// members, after the last <paramref name="history"/> messages of the room marked <c>history</c>.</summary>
    public Task<bool> JoinAsync(string room, int history = 0, CancellationToken cancellationToken = default)
    {
        RequireRoom(room, nameof(room));
        return CommandAsync(Conversations.JoinOp, room, history, cancellationToken);
    }

    /// <summary>Leaves a room; the server answers with a <c>left</c> notice.</summary>
    public Task<bool> LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        RequireRoom(room, nameof(room));
        return CommandAsync(Conversations.LeaveOp, room, 0, cancellationToken);
    }

    /// <summary>Asks for this user's rooms; the server answers with a <c>rooms</c> notice.</summary>
    public Task<bool> RequestRoomsAsync(CancellationToken cancellationToken = default) =>
        CommandAsync(Conversations.RoomsOp, null, 0, cancellationToken);

    /// <summary>Asks who is in a room; the server answers with a <c>who</c> notice (members, and who is connected).</summary>
    public Task<bool> RequestWhoAsync(string room, CancellationToken cancellationToken = default)
    {
        RequireRoom(room, nameof(room));
        return CommandAsync(Conversations.WhoOp, room, 0, cancellationToken);
    }

    /// <summary>Asks for the last <paramref name="limit"/> messages of a room or of the direct conversation with a
    /// person; they arrive marked <c>history</c>, then a <c>history</c> notice counts them.</summary>
    public Task<bool> RequestHistoryAsync(string conversation, int limit, CancellationToken cancellationToken = default)
    {
        RequireConversation(conversation, nameof(conversation));
        return CommandAsync(Conversations.HistoryOp, conversation, limit, cancellationToken);
    }

    private Task<bool> CommandAsync(string op, string? to, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 0 or > Conversations.MaxHistory)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"History is between 0 and {Conversations.MaxHistory} messages.");
        }

        return SendContentAsync(new OutgoingChat("", Kind: ChatPlaintext.CommandKind, To: to, Op: op, Limit: limit == 0 ? null : limit), cancellationToken);
    }

    private static void RequireRoom(string room, string name)
    {
        if (!Conversations.IsRoom(room))
        {
            throw new ArgumentException($"'{room}' is not a room name: # followed by 1-32 of a-z, 0-9, _ and -.", name);
        }
    }

    private static void RequireConversation(string to, string name)
    {
        if (!Conversations.IsRoom(to) && !Conversations.IsPerson(to))
        {
            throw new ArgumentException($"'{to}' is neither a room (#name) nor a person (@username).", name);
        }
    }
}
