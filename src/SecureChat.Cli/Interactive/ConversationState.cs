using SecureChat.Client;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Interactive;

/// <summary>The conversations of an interactive client: the current one (where plain lines go), the user's rooms (from
/// the server's <c>rooms</c>, <c>joined</c> and <c>left</c> notices) and the people written to or heard from. It
/// outlives a session: after a reconnect the current conversation stays and the new <c>rooms</c> notice refreshes the
/// rooms. Thread-safe; <see cref="Changed"/> is raised outside the lock.</summary>
internal sealed class ConversationState
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _rooms = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _people = new(StringComparer.OrdinalIgnoreCase);
    private string _current = Conversations.DefaultRoom;
    private int _version;

    /// <summary>Starts in <see cref="Conversations.DefaultRoom"/>, the room everyone is in.</summary>
    public ConversationState(string user)
    {
        User = user;
    }

    /// <summary>Raised after the current conversation or the list changed.</summary>
    public event Action? Changed;

    /// <summary>The logged-in user (direct messages are filed under the other person).</summary>
    public string User { get; set; }

    /// <summary>Where plain lines go.</summary>
    public string Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The user's rooms, <see cref="Conversations.DefaultRoom"/> first, the others sorted.</summary>
    public IReadOnlyList<string> Rooms
    {
        get
        {
            lock (_gate)
            {
                return [Conversations.DefaultRoom, .. _rooms];
            }
        }
    }

    /// <summary>Every conversation: the rooms, then the people (<c>@bob</c>) sorted.</summary>
    public IReadOnlyList<string> All
    {
        get
        {
            lock (_gate)
            {
                return [Conversations.DefaultRoom, .. _rooms, .. _people];
            }
        }
    }

    /// <summary>Whether the user is known to be in <paramref name="room"/> (always in <see cref="Conversations.DefaultRoom"/>).</summary>
    public bool IsMember(string room)
    {
        lock (_gate)
        {
            return room == Conversations.DefaultRoom || _rooms.Contains(room);
        }
    }

    /// <summary>Makes <paramref name="conversation"/> (a room or a person) current, adding it to the list.</summary>
    /// <returns>Its name as listed (a person as first spelled).</returns>
    public string Open(string conversation)
    {
        string name;
        bool changed;
        lock (_gate)
        {
            var version = _version;
            name = AddLocked(conversation);
            changed = SetCurrentLocked(name) || version != _version;
        }

        Notify(changed);
        return name;
    }

    /// <summary>Adds <paramref name="conversation"/> to the list without making it current.</summary>
    /// <returns>Its name as listed (a person as first spelled).</returns>
    public string Track(string conversation)
    {
        string name;
        bool changed;
        lock (_gate)
        {
            var version = _version;
            name = AddLocked(conversation);
            changed = version != _version;
        }

        Notify(changed);
        return name;
    }

    /// <summary>Makes <see cref="Conversations.DefaultRoom"/> current if <paramref name="room"/> is (the person is leaving it).</summary>
    public void LeaveCurrent(string room)
    {
        bool changed;
        lock (_gate)
        {
            changed = _current == room && SetCurrentLocked(Conversations.DefaultRoom);
        }

        Notify(changed);
    }

    /// <summary>Follows a received message: its room or person joins the list, and the <c>rooms</c>, <c>joined</c> and
    /// <c>left</c> notices set, add or remove rooms (leaving the current room makes #lobby current).</summary>
    /// <returns>The conversation the message belongs in, as listed; null when it belongs to none in particular (the
    /// answers to the person's own requests, shown where the person is).</returns>
    public string? Apply(ChatMessageReceived message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string? home;
        bool changed;
        lock (_gate)
        {
            var version = _version;
            home = ApplyLocked(message);
            changed = version != _version;
        }

        Notify(changed);
        return home;
    }

    /// <summary>The conversation a chat message belongs to, seen by <paramref name="user"/>: its room, or the other
    /// person of a direct message (received: its author; one's own, echoed in history: its addressee).</summary>
    public static string ConversationOf(ChatMessageReceived message, string user)
    {
        ArgumentNullException.ThrowIfNull(message);
        var to = message.To ?? Conversations.DefaultRoom;
        return Conversations.IsPerson(to) && message.From is { } from && !Conversations.SameUser(from, user) && Conversations.IsPerson("@" + from)
            ? Conversations.AddressOf(from)
            : to;
    }

    private string? ApplyLocked(ChatMessageReceived message)
    {
        if (message.Kind != "system")
        {
            var conversation = ConversationOf(message, User);
            return Conversations.IsRoom(conversation) || Conversations.IsPerson(conversation) ? AddLocked(conversation) : null;
        }

        switch (message.Event)
        {
            case "rooms" when message.Rooms is not null:
                var rooms = message.Rooms.Where(r => Conversations.IsRoom(r) && r != Conversations.DefaultRoom).ToList();
                if (!_rooms.SetEquals(rooms))
                {
                    _rooms.Clear();
                    _rooms.UnionWith(rooms);
                    _version++;
                }

                return null;
            case "joined" when Conversations.IsRoom(message.To):
                return AddLocked(message.To!);
            case "left" when Conversations.IsRoom(message.To):
                _version += _rooms.Remove(message.To!) ? 1 : 0;
                if (_current == message.To)
                {
                    SetCurrentLocked(Conversations.DefaultRoom);
                }

                return null;
            case "join" or "leave" or "roster" when message.To is null:
                return Conversations.DefaultRoom;
            case "join" or "leave" or "history" when Conversations.IsRoom(message.To) || Conversations.IsPerson(message.To):
                return Contains(message.To!) ? AddLocked(message.To!) : message.To;
            default:
                return null;
        }
    }

    private bool Contains(string conversation) =>
        conversation == Conversations.DefaultRoom || _rooms.Contains(conversation) || _people.Contains(conversation);

    private string AddLocked(string conversation)
    {
        if (Conversations.IsPerson(conversation))
        {
            if (_people.TryGetValue(conversation, out var listed))
            {
                return listed;
            }

            _people.Add(conversation);
            _version++;
        }
        else if (conversation != Conversations.DefaultRoom && _rooms.Add(conversation))
        {
            _version++;
        }

        return conversation;
    }

    private bool SetCurrentLocked(string conversation)
    {
        if (_current == conversation)
        {
            return false;
        }

        _current = conversation;
        _version++;
        return true;
    }

    private void Notify(bool changed)
    {
        if (changed)
        {
            Changed?.Invoke();
        }
    }
}
