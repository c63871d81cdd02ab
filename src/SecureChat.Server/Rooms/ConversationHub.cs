using SecureChat.Accounts;
using SecureChat.Accounts.Conversations;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.Server.Cluster;

namespace SecureChat.Server.Rooms;

/// <summary>Rooms, direct messages, offline delivery and history (protocol §9.8): decides who receives each message,
/// writes it to the store before anyone does, and answers the commands.</summary>
/// <remarks>The store is the record: a message to a room or a person is stored, with a pending row for every recipient,
/// before the first copy is queued; a pending row goes once a copy reached one of that user's sockets. Membership is
/// read from the store on every message, so that nothing here caches what another server process could change.</remarks>
public sealed partial class ConversationHub : IAsyncDisposable
{
    /// <summary>The most delayed messages delivered at one login; the rest wait for the next.</summary>
    public const int MaxDelayedPerLogin = 1000;

    private readonly IConversationStore _store;
    private readonly IUserStore _users;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly OnlineUsers _online = new();
    private readonly DeliveryLedger _ledger;
    private readonly LobbyHistory _lobbyHistory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _purge;
    private readonly IMessageBus _bus;
    private readonly CertificateValidator _authors;
    private readonly TimeSpan _maxSkew;
    private readonly int _maxTextBytes;
    private readonly OriginVerifier _lobbyVerifier;

    /// <summary>Creates the hub over the server's stores.</summary>
    /// <param name="store">Rooms, memberships and stored messages.</param>
    /// <param name="users">Accounts, to resolve <c>@user</c>.</param>
    /// <param name="lobby">The shared room every logged-in session is in.</param>
    /// <param name="retention">How long a stored message is kept (history and undelivered).</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">Where events go.</param>
    /// <param name="bus">The other nodes (a <see cref="LocalBus"/> when there are none).</param>
    /// <param name="authors">Checks author certificates of what other nodes relay: this node's CA, client role.</param>
    /// <param name="settings">The skew and text limits the authors' messages were checked with.</param>
    public ConversationHub(IConversationStore store, IUserStore users, ChatRoom lobby, TimeSpan retention, TimeProvider time, ILogger log,
        IMessageBus bus, CertificateValidator authors, ProtocolSettings settings)
    {
        _bus = bus ?? throw new ArgumentNullException(nameof(bus));
        _authors = authors ?? throw new ArgumentNullException(nameof(authors));
        ArgumentNullException.ThrowIfNull(settings);
        _maxSkew = settings.MaxClockSkew;
        _maxTextBytes = settings.MaxTextBytes;
        _lobbyVerifier = new OriginVerifier(authors, _maxSkew, _maxTextBytes, null);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _users = users ?? throw new ArgumentNullException(nameof(users));
        Lobby = lobby ?? throw new ArgumentNullException(nameof(lobby));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _ledger = new DeliveryLedger(store, log);
        _lobbyHistory = new LobbyHistory(store, log);
        Retention = retention;
        _purge = Task.Run(PurgeLoopAsync);
    }

    /// <summary>How long a stored message is kept.</summary>
    public TimeSpan Retention { get; }

    /// <summary>The shared room every logged-in session is in.</summary>
    public ChatRoom Lobby { get; }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A session is established: it receives what is addressed to its user from now on. Called under the
    /// session's gate, before the client learns the session is up, so nothing sent afterwards can miss it.</summary>
    public void Online(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _online.Add(session);
        _bus.PresenceChanged();
    }

    /// <summary>A session ended.</summary>
    public void Offline(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _online.Remove(session);
        _bus.PresenceChanged();
    }

    /// <summary>Copies of stored messages for this user (delivered to one of its sessions) no longer wait in the store.</summary>
    public void Delivered(string username, IReadOnlyList<long> ids) => _ledger.Delivered(username, ids);

    /// <summary>Delivers to a new session what was stored for its user while away, marked <c>delayed</c>.</summary>
    /// <remarks>Nothing else is sent unasked at login: a notice the client did not wait for could be in flight when it
    /// sends its receipt, leaving both transcripts honestly incomplete. The client asks for its rooms.</remarks>
    public async Task WelcomeAsync(ServerSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            foreach (var stored in await _store.PendingAsync(session.Username, MaxDelayedPerLogin, cancellationToken).ConfigureAwait(false))
            {
                if (Replay(stored, Conversations.DelayedMark) is { } copy)
                {
                    await session.EnqueueAsync(copy, stored.Id, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (UserStoreUnavailableException e)
        {
            Log.StoreUnavailable(_log, session.Username, e.Message, "the delayed messages of this login were not sent");
            session.Post(Notice("the messages kept for you could not be loaded: the server's database is unavailable; they stay stored"));
        }
        catch (OperationCanceledException)
        {
            // The session ended first; what was not delivered stays pending.
        }
    }

    /// <summary>Relays one accepted author message: stores it, then queues a copy for every recipient.</summary>
    /// <returns>Null when relayed, else the <c>refused</c> notice for the author (the session goes on).</returns>
    public async Task<OutgoingChat?> RelayAsync(ServerSession author, OutgoingChat copy, long seqno, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(copy);
        var to = copy.To ?? Conversations.DefaultRoom;
        try
        {
            var route = await RouteAsync(author, to, seqno, cancellationToken).ConfigureAwait(false);
            if (route.Refusal is not null)
            {
                return route.Refusal;
            }

            var message = new NewMessage(Conversations.ThreadOf(author.Username, to), author.Username, NowMs, StoredCopies.Encode(copy), route.PendingFor);
            if (route.Lobby)
            {
                await Lobby.RelayAsync(author, copy, cancellationToken).ConfigureAwait(false);
                _lobbyHistory.Keep(message);
                await PublishAsync(new BusEnvelope(_bus.Node, to, 0, [], message.Body)).ConfigureAwait(false);
                return null;
            }

            var id = (await _store.StoreAsync([message], cancellationToken).ConfigureAwait(false))[0];
            Remember(id);

            foreach (var user in route.PendingFor)
            {
                foreach (var session in _online.SessionsOf(user))
                {
                    await session.EnqueueAsync(copy, id, cancellationToken).ConfigureAwait(false);
                }
            }

            if (Conversations.IsRoom(to))
            {
                // The author's other sessions are in the room too; nothing is kept for them (they wrote it).
                foreach (var session in _online.SessionsOf(author.Username))
                {
                    if (!ReferenceEquals(session, author))
                    {
                        await session.EnqueueAsync(copy, 0, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            // The other nodes' sessions (the author's own included, in a room) learn of it from the record.
            IReadOnlyList<string> recipients = Conversations.IsRoom(to) ? [.. route.PendingFor, author.Username] : route.PendingFor;
            await PublishAsync(new BusEnvelope(_bus.Node, to, id, recipients)).ConfigureAwait(false);
            return null;
        }
        catch (UserStoreUnavailableException e)
        {
            Log.StoreUnavailable(_log, author.Username, e.Message, $"message {seqno} was not relayed");
            return AuthorOrigin.Refusal(Conversations.StorageUnavailable, seqno,
                $"message {seqno} was not delivered: the server could not store it (its database is unavailable); send it again later");
        }
    }

    /// <summary>Records what is still to be recorded and stops the purge.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _purge.ConfigureAwait(false);
        await _bus.DisposeAsync().ConfigureAwait(false);
        await _ledger.DisposeAsync().ConfigureAwait(false);
        await _lobbyHistory.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Who must receive a message to <paramref name="to"/>: the lobby's sessions, a room's other members, or
    /// one person; or why nobody.</summary>
    private async Task<Route> RouteAsync(ServerSession author, string to, long seqno, CancellationToken cancellationToken)
    {
        if (to == Conversations.DefaultRoom)
        {
            // The v1 shared room: every logged-in session, live only (it has no member list to keep messages for).
            return new Route(true, [], null);
        }

        if (Conversations.IsRoom(to))
        {
            var members = await _store.MembersOfAsync(to, cancellationToken).ConfigureAwait(false);
            if (!members.Contains(author.Username, StringComparer.OrdinalIgnoreCase))
            {
                var exists = members.Count > 0 || await _store.RoomExistsAsync(to, cancellationToken).ConfigureAwait(false);
                return Refused(exists ? Conversations.NotMember : AuthorOrigin.UnknownRoom, seqno,
                    exists ? $"you are not in {to}; /join {to} first" : $"there is no room {to}");
            }

            return new Route(false, [.. members.Where(m => !Conversations.SameUser(m, author.Username))], null);
        }

        var person = await _users.FindByUsernameAsync(Conversations.PersonOf(to), cancellationToken).ConfigureAwait(false);
        if (person is null)
        {
            return Refused(Conversations.UnknownUser, seqno, $"there is no user {to}");
        }

        return Conversations.SameUser(person.Username, author.Username)
            ? Refused(Conversations.BadRequest, seqno, "a direct message needs another person")
            : new Route(false, [person.Username], null);
    }

    private static Route Refused(string code, long seqno, string why) =>
        new(false, [], AuthorOrigin.Refusal(code, seqno, $"message {seqno} was not delivered: {why}"));

    private OutgoingChat? Replay(StoredMessage stored, string mark)
    {
        var copy = StoredCopies.Decode(stored.Body, mark);
        if (copy is null)
        {
            Log.StoredMessageUnreadable(_log, stored.Id);
        }

        return copy;
    }

    private async Task PurgeLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), _time);
        do
        {
            try
            {
                var deleted = await _store.PurgeAsync(NowMs - (long)Retention.TotalMilliseconds, _stopping.Token).ConfigureAwait(false);
                if (deleted > 0)
                {
                    Log.Purged(_log, deleted, Retention.TotalDays);
                }
            }
            catch (UserStoreUnavailableException e)
            {
                Log.StoreUnavailable(_log, "", e.Message, "old messages were not purged this hour");
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (await WaitAsync(timer).ConfigureAwait(false));
    }

    private async Task<bool> WaitAsync(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static OutgoingChat Notice(string text) => new(text, Kind: ChatPlaintext.SystemKind);

    private static OutgoingChat RoomsNotice(IReadOnlyList<string> rooms)
    {
        IReadOnlyList<string> all = [Conversations.DefaultRoom, .. rooms.Where(r => r != Conversations.DefaultRoom)];
        return new OutgoingChat($"your rooms: {string.Join(", ", all)}", Kind: ChatPlaintext.SystemKind, Presence: PresenceEvent.Rooms, Rooms: all);
    }

    private readonly record struct Route(bool Lobby, IReadOnlyList<string> PendingFor, OutgoingChat? Refusal);
}
