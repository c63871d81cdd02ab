using SecureChat.Client;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Interactive;

/// <summary>Who is online, from the server's presence notices; a user with several sessions is counted once per
/// session but listed once. Thread-safe: the line client applies notices on one thread and answers /who on another.</summary>
internal sealed class Roster
{
    private readonly SortedDictionary<string, int> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Applies a roster, join or leave notice of #lobby (a session came or went); other messages, and the join
    /// and leave notices of other rooms (a member joined or left), change nothing.</summary>
    public void Apply(ChatMessageReceived notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.To is not (null or Conversations.DefaultRoom))
        {
            return;
        }

        lock (_gate)
        {
            ApplyLocked(notice);
        }
    }

    private void ApplyLocked(ChatMessageReceived notice)
    {
        switch (notice.Event)
        {
            case "roster" when notice.Users is not null:
                _sessions.Clear();
                foreach (var user in notice.Users)
                {
                    Add(user);
                }

                break;
            case "join" when notice.Users is [var joined]:
                Add(joined);
                break;
            case "leave" when notice.Users is [var left] && _sessions.TryGetValue(left, out var count):
                if (count > 1)
                {
                    _sessions[left] = count - 1;
                }
                else
                {
                    _sessions.Remove(left);
                }

                break;
        }
    }

    /// <summary>Forgets everyone (the session ended: nobody is known to be online until the next roster).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    /// <summary>How many users are known to be online.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>One line: each user once, with the number of sessions where there is more than one.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return _sessions.Count == 0
                ? "online: nobody else is known to be online"
                : "online: " + string.Join(", ", _sessions.Select(p => p.Value > 1 ? $"{Display.Safe(p.Key)} ({p.Value} sessions)" : Display.Safe(p.Key)));
        }
    }

    private void Add(string user) => _sessions[user] = _sessions.GetValueOrDefault(user) + 1;
}
