using SecureChat.Accounts;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Server.Rooms;

/// <summary>The commands of §9.8.2: join, leave, rooms, who, history. Each is answered with a notice, or refused with a
/// typed <c>refused</c> notice; the session always goes on.</summary>
public sealed partial class ConversationHub
{
    /// <summary>Answers one command plaintext the session accepted (its seqno is <paramref name="seqno"/>).</summary>
    public async Task CommandAsync(ServerSession session, ChatPlaintext command, long seqno, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(command);
        if (Conversations.ParseCommand(command, out var problem) is not { } parsed)
        {
            Refuse(session, Conversations.BadRequest, seqno, problem!);
            return;
        }

        try
        {
            var outcome = parsed.Op switch
            {
                Conversations.JoinOp => await JoinAsync(session, parsed.Target!, parsed.Limit, seqno, cancellationToken).ConfigureAwait(false),
                Conversations.LeaveOp => await LeaveAsync(session, parsed.Target!, seqno, cancellationToken).ConfigureAwait(false),
                Conversations.WhoOp => await WhoAsync(session, parsed.Target!, seqno, cancellationToken).ConfigureAwait(false),
                Conversations.HistoryOp => await HistoryAsync(session, parsed.Target!, parsed.Limit, seqno, cancellationToken).ConfigureAwait(false),
                _ => await RoomsAsync(session, cancellationToken).ConfigureAwait(false),
            };
            Log.Command(_log, session.Username, parsed.Op, parsed.Target ?? "", outcome);
        }
        catch (UserStoreUnavailableException e)
        {
            Log.StoreUnavailable(_log, session.Username, e.Message, $"{parsed.Op} was not done");
            Refuse(session, Conversations.StorageUnavailable, seqno, $"{parsed.Op} could not be done: the server's database is unavailable; try again later");
        }
    }

    private async Task<string> JoinAsync(ServerSession session, string room, int limit, long seqno, CancellationToken cancellationToken)
    {
        var username = session.Username;
        var joined = false;
        if (room != Conversations.DefaultRoom)
        {
            var rooms = await _store.RoomsOfAsync(username, cancellationToken).ConfigureAwait(false);
            if (!rooms.Contains(room, StringComparer.Ordinal) && rooms.Count >= Conversations.MaxRoomsPerUser)
            {
                return Refuse(session, Conversations.BadRequest, seqno, $"you are already in {Conversations.MaxRoomsPerUser} rooms; /leave one first");
            }

            joined = await _store.JoinAsync(room, username, NowMs, cancellationToken).ConfigureAwait(false);
        }

        var members = await MembersAsync(room, cancellationToken).ConfigureAwait(false);
        session.Post(new OutgoingChat($"you are in {room} ({members.Count} members)", Kind: ChatPlaintext.SystemKind,
            Presence: PresenceEvent.Joined, To: room, Users: members));
        if (joined)
        {
            await TellMembersAsync(room, session, $"{username} joined {room}", PresenceEvent.Join, cancellationToken).ConfigureAwait(false);
        }

        if (limit > 0)
        {
            await SendHistoryAsync(session, room, room, limit, cancellationToken).ConfigureAwait(false);
        }

        return joined ? "joined" : "already a member";
    }

    private async Task<string> LeaveAsync(ServerSession session, string room, long seqno, CancellationToken cancellationToken)
    {
        if (!await _store.LeaveAsync(room, session.Username, cancellationToken).ConfigureAwait(false))
        {
            return Refuse(session, Conversations.NotMember, seqno, $"you are not in {room}");
        }

        session.Post(new OutgoingChat($"you left {room}", Kind: ChatPlaintext.SystemKind, Presence: PresenceEvent.Left, To: room));
        await TellMembersAsync(room, session, $"{session.Username} left {room}", PresenceEvent.Leave, cancellationToken).ConfigureAwait(false);
        return "left";
    }

    private async Task<string> RoomsAsync(ServerSession session, CancellationToken cancellationToken)
    {
        session.Post(RoomsNotice(await _store.RoomsOfAsync(session.Username, cancellationToken).ConfigureAwait(false)));
        return "listed";
    }

    private async Task<string> WhoAsync(ServerSession session, string room, long seqno, CancellationToken cancellationToken)
    {
        if (await CheckMemberAsync(session, room, seqno, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var members = await MembersAsync(room, cancellationToken).ConfigureAwait(false);
        var elsewhere = await RemoteUsersAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> online = [.. members.Where(m => _online.IsOnline(m) || elsewhere.Contains(m))];
        session.Post(new OutgoingChat($"{room}: {members.Count} members, {online.Count} online: {string.Join(", ", online)}",
            Kind: ChatPlaintext.SystemKind, Presence: PresenceEvent.Who, To: room, Users: members, Online: online));
        return "listed";
    }

    private async Task<string> HistoryAsync(ServerSession session, string conversation, int limit, long seqno, CancellationToken cancellationToken)
    {
        if (Conversations.IsPerson(conversation))
        {
            if (await _users.FindByUsernameAsync(Conversations.PersonOf(conversation), cancellationToken).ConfigureAwait(false) is not { } person)
            {
                return Refuse(session, Conversations.UnknownUser, seqno, $"there is no user {conversation}");
            }

            // Only the thread between this user and that person: nobody can read another pair's messages.
            var thread = Conversations.ThreadOf(session.Username, Conversations.AddressOf(person.Username));
            await SendHistoryAsync(session, conversation, thread, limit, cancellationToken).ConfigureAwait(false);
            return "sent";
        }

        if (await CheckMemberAsync(session, conversation, seqno, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        await SendHistoryAsync(session, conversation, conversation, limit, cancellationToken).ConfigureAwait(false);
        return "sent";
    }

    /// <summary>Null when the user may read the room (every user may read the lobby), else the refusal sent.</summary>
    private async Task<string?> CheckMemberAsync(ServerSession session, string room, long seqno, CancellationToken cancellationToken)
    {
        if (room == Conversations.DefaultRoom)
        {
            return null;
        }

        var members = await _store.MembersOfAsync(room, cancellationToken).ConfigureAwait(false);
        if (members.Contains(session.Username, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var exists = members.Count > 0 || await _store.RoomExistsAsync(room, cancellationToken).ConfigureAwait(false);
        return exists
            ? Refuse(session, Conversations.NotMember, seqno, $"you are not in {room}")
            : Refuse(session, AuthorOrigin.UnknownRoom, seqno, $"there is no room {room}");
    }

    private async Task SendHistoryAsync(ServerSession session, string conversation, string thread, int limit, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var stored in await _store.HistoryAsync(thread, limit, cancellationToken).ConfigureAwait(false))
        {
            if (Replay(stored, Conversations.HistoryMark) is { } copy)
            {
                await session.EnqueueAsync(copy, 0, cancellationToken).ConfigureAwait(false);
                sent++;
            }
        }

        await session.EnqueueAsync(new OutgoingChat($"{sent} earlier messages of {conversation}", Kind: ChatPlaintext.SystemKind,
            Presence: PresenceEvent.History, To: conversation, Ref: sent), 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The members of a room; for the lobby, the users connected now.</summary>
    private async Task<IReadOnlyList<string>> MembersAsync(string room, CancellationToken cancellationToken) =>
        room == Conversations.DefaultRoom
            ? [.. Lobby.Usernames.Concat(await RemoteUsersAsync(cancellationToken).ConfigureAwait(false))
                .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)]
            : await _store.MembersOfAsync(room, cancellationToken).ConfigureAwait(false);

    /// <summary>The users online on the other nodes (ignoring case, as accounts are named).</summary>
    private async Task<HashSet<string>> RemoteUsersAsync(CancellationToken cancellationToken) =>
        new(await _bus.RemoteUsersAsync(cancellationToken).ConfigureAwait(false), StringComparer.OrdinalIgnoreCase);

    /// <summary>Tells the connected members of a room (other than <paramref name="subject"/>'s sessions) that its
    /// membership changed.</summary>
    private async Task TellMembersAsync(string room, ServerSession subject, string text, PresenceEvent presence, CancellationToken cancellationToken)
    {
        foreach (var member in await _store.MembersOfAsync(room, cancellationToken).ConfigureAwait(false))
        {
            foreach (var session in _online.SessionsOf(member))
            {
                if (!ReferenceEquals(session, subject))
                {
                    session.Post(new OutgoingChat(text, Kind: ChatPlaintext.SystemKind, Presence: presence, To: room, Users: [subject.Username]));
                }
            }
        }
    }

    private static string Refuse(ServerSession session, string code, long seqno, string why)
    {
        session.Post(AuthorOrigin.Refusal(code, seqno, $"request {seqno} refused: {why}"));
        return code;
    }
}
