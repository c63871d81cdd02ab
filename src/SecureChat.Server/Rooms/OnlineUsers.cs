using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace SecureChat.Server.Rooms;

/// <summary>The logged-in sessions of each user (usernames compared ignoring ASCII case, as accounts are).</summary>
internal sealed class OnlineUsers
{
    private readonly ConcurrentDictionary<string, ImmutableArray<ServerSession>> _byUser = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a session whose chat key is established.</summary>
    public void Add(ServerSession session) =>
        _byUser.AddOrUpdate(session.Username, _ => [session], (_, sessions) => sessions.Add(session));

    /// <summary>Removes a session that ended (a no-op for one never added).</summary>
    public void Remove(ServerSession session)
    {
        while (_byUser.TryGetValue(session.Username, out var sessions))
        {
            var left = sessions.Remove(session);
            if (left.Length == sessions.Length)
            {
                return;
            }

            var done = left.IsEmpty
                ? _byUser.TryRemove(new KeyValuePair<string, ImmutableArray<ServerSession>>(session.Username, sessions))
                : _byUser.TryUpdate(session.Username, left, sessions);
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>The sessions of one user (empty when offline).</summary>
    public ImmutableArray<ServerSession> SessionsOf(string username) =>
        _byUser.TryGetValue(username, out var sessions) ? sessions : [];

    /// <summary>The users with at least one session.</summary>
    public IReadOnlyCollection<string> Usernames => [.. _byUser.Keys];

    /// <summary>Every session.</summary>
    public IReadOnlyList<ServerSession> All => [.. _byUser.Values.SelectMany(s => s)];

    /// <summary>True when the user has at least one session.</summary>
    public bool IsOnline(string username) => _byUser.ContainsKey(username);
}
