using SecureChat.Client;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Interactive;

/// <summary>Something to send to the server: a chat message (<see cref="Say"/>) to a room or person, or one of the
/// conversation commands of protocol §9.8.2.</summary>
/// <param name="Op"><see cref="Say"/>, or a command (<c>join</c>, <c>leave</c>, <c>rooms</c>, <c>who</c>, <c>history</c>).</param>
/// <param name="To">The room or person (null for <c>rooms</c>).</param>
/// <param name="Text">The message (for <see cref="Say"/>).</param>
/// <param name="Limit">How many past messages (<c>join</c>, <c>history</c>).</param>
internal sealed record ChatRequest(string Op, string? To, string Text = "", int Limit = 0)
{
    /// <summary>A chat message.</summary>
    public const string Say = "say";

    /// <summary>Whether this is a chat message (shown as the person's own once sent).</summary>
    public bool IsMessage => Op == Say;

    /// <summary>Sends it in <paramref name="client"/>'s session.</summary>
    /// <returns>False when the session has already ended; nothing was sent.</returns>
    /// <exception cref="ArgumentException">Refused on this side (a message too long); the session goes on.</exception>
    public Task<bool> SendAsync(ChatClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Op switch
        {
            Say => client.SendAsync(Text, To!, cancellationToken),
            Conversations.JoinOp => client.JoinAsync(To!, Limit, cancellationToken),
            Conversations.LeaveOp => client.LeaveAsync(To!, cancellationToken),
            Conversations.WhoOp => client.RequestWhoAsync(To!, cancellationToken),
            Conversations.HistoryOp => client.RequestHistoryAsync(To!, Limit, cancellationToken),
            _ => client.RequestRoomsAsync(cancellationToken),
        };
    }
}

/// <summary>What the front end does with a typed line: leave, show lines of its own, and/or send a request.</summary>
/// <param name="Quit">The person wants to leave.</param>
/// <param name="Local">Lines to show, never sent.</param>
/// <param name="Request">What to send, or null.</param>
internal sealed record ChatAction(bool Quit, IReadOnlyList<string> Local, ChatRequest? Request)
{
    /// <summary>Nothing to do.</summary>
    public static readonly ChatAction None = new(false, [], null);

    /// <summary>Only lines to show.</summary>
    public static ChatAction Say(params string[] lines) => new(false, lines, null);

    /// <summary>A request to send (and lines to show first).</summary>
    public static ChatAction Send(ChatRequest request, params string[] lines) => new(false, lines, request);
}

/// <summary>Turns typed lines into actions, the same way in the line client and the full-screen one: commands are
/// checked here, the current conversation changes here (at once, so that a line typed right after <c>/join</c> or
/// <c>/leave</c> goes where the person expects), and nothing is sent while there is no session.</summary>
internal static class ChatInput
{
    /// <summary>What a line typed while there is no session gets.</summary>
    public const string NotConnected = "not sent: not connected, reconnecting (lines are not kept for later; Up brings this one back)";

    /// <summary>What to do with <paramref name="line"/>.</summary>
    /// <param name="line">The line as parsed.</param>
    /// <param name="state">The conversations; changed by <c>/join</c>, <c>/leave</c>, <c>/go</c> and <c>/msg</c>.</param>
    /// <param name="online">Who is online in #lobby, as shown by <c>/who</c> there.</param>
    /// <param name="connected">Whether a session is up to send in.</param>
    public static ChatAction Interpret(TypedLine line, ConversationState state, Func<string> online, bool connected)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(online);
        switch (line.Kind)
        {
            case ChatCommands.Kind.Empty:
                return ChatAction.None;
            case ChatCommands.Kind.Quit:
                return new ChatAction(true, [], null);
            case ChatCommands.Kind.Help:
                return ChatAction.Say([.. ChatCommands.Help]);
            case ChatCommands.Kind.Unknown:
                return ChatAction.Say($"{Display.Safe(line.Text)}: no such command, nothing was sent; /help lists the commands (start a message with // to send a leading /)");
            case ChatCommands.Kind.Invalid:
                return ChatAction.Say($"not sent: {line.Text}");
            case ChatCommands.Kind.Go or ChatCommands.Kind.Msg when IsSelf(line.Target, state.User):
                return ChatAction.Say("not sent: a direct message needs another person than yourself");
            case ChatCommands.Kind.Go:
                return Go(line.Target!, state);
            case ChatCommands.Kind.Who when (line.Target ?? WhoDefault(state.Current)) == Conversations.DefaultRoom:
                return ChatAction.Say(connected ? online() : "online: not connected (reconnecting)");
        }

        if (!connected)
        {
            return ChatAction.Say(NotConnected);
        }

        switch (line.Kind)
        {
            case ChatCommands.Kind.Message:
                return ChatAction.Send(new ChatRequest(ChatRequest.Say, state.Current, line.Text));
            case ChatCommands.Kind.Msg:
                return ChatAction.Send(new ChatRequest(ChatRequest.Say, state.Track(line.Target!), line.Text));
            case ChatCommands.Kind.Join:
                return ChatAction.Send(new ChatRequest(Conversations.JoinOp, state.Open(line.Target!), Limit: line.Count));
            case ChatCommands.Kind.Leave:
                return Leave(line.Target ?? state.Current, state);
            case ChatCommands.Kind.Rooms:
                return ChatAction.Send(new ChatRequest(Conversations.RoomsOp, null));
            case ChatCommands.Kind.Who:
                return ChatAction.Send(new ChatRequest(Conversations.WhoOp, line.Target ?? WhoDefault(state.Current)));
            default:
                return ChatAction.Send(new ChatRequest(Conversations.HistoryOp, state.Current, Limit: line.Count));
        }
    }

    private static ChatAction Go(string target, ConversationState state)
    {
        if (Conversations.IsRoom(target) && !state.IsMember(target))
        {
            return ChatAction.Say($"you are not in {target}: /join {target} first");
        }

        var name = state.Open(target);
        return ChatAction.Say($"now writing to {Display.Safe(name)}");
    }

    private static ChatAction Leave(string room, ConversationState state)
    {
        if (!Conversations.IsRoom(room) || room == Conversations.DefaultRoom)
        {
            return ChatAction.Say(room == Conversations.DefaultRoom
                ? $"not sent: everyone stays in {Conversations.DefaultRoom}; /leave #room leaves another room"
                : $"not sent: {Display.Safe(room)} is a direct conversation, not a room; /go #room to write elsewhere");
        }

        state.LeaveCurrent(room);
        return ChatAction.Send(new ChatRequest(Conversations.LeaveOp, room));
    }

    private static bool IsSelf(string? target, string user) =>
        Conversations.IsPerson(target) && Conversations.SameUser(Conversations.PersonOf(target!), user);

    /// <summary><c>/who</c> without a room: the current room, or #lobby in a direct conversation.</summary>
    private static string WhoDefault(string current) => Conversations.IsRoom(current) ? current : Conversations.DefaultRoom;
}

/// <summary>Where an interactive client starts (<c>--room</c>, <c>--to</c>, <c>--history</c>): the same steps as the
/// commands a person would type first, taken once after the first login (never again after a reconnect: membership
/// stays on the server).</summary>
/// <param name="Conversation">A room, a person (<c>@bob</c>) or #lobby.</param>
/// <param name="Join">Join <paramref name="Conversation"/> (a room).</param>
/// <param name="History">How many past messages to ask for (0: none).</param>
internal sealed record ChatStart(string Conversation, bool Join, int History)
{
    /// <summary>#lobby, nothing asked for.</summary>
    public static readonly ChatStart Lobby = new(Conversations.DefaultRoom, false, 0);

    /// <summary>The commands this start stands for.</summary>
    public IReadOnlyList<TypedLine> Lines()
    {
        if (Join)
        {
            return [new TypedLine(ChatCommands.Kind.Join, "", Conversation, History)];
        }

        List<TypedLine> lines = [];
        if (Conversation != Conversations.DefaultRoom)
        {
            lines.Add(new TypedLine(ChatCommands.Kind.Go, "", Conversation));
        }

        if (History > 0)
        {
            lines.Add(new TypedLine(ChatCommands.Kind.History, "", Count: History));
        }

        return lines;
    }
}
