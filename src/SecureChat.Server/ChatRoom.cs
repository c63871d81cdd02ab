using System.Collections.Concurrent;
using SecureChat.Protocol.Messages;

namespace SecureChat.Server;

/// <summary>The sessions whose users are logged in; it relays each user's message to every other user.</summary>
/// <remarks>Each session has its own bounded queue. A recipient that stops reading is disconnected, never the
/// sender; a server that is merely busy slows the senders down instead of dropping anyone.</remarks>
public sealed class ChatRoom(int presenceNoticeLimit = 100)
{
    private readonly ConcurrentDictionary<ServerSession, byte> _members = new();

    /// <summary>Number of logged-in sessions.</summary>
    public int Count => _members.Count;

    /// <summary>Usernames of the logged-in sessions, sorted.</summary>
    public IReadOnlyList<string> Usernames => [.. _members.Keys.Select(m => m.Username).Order(StringComparer.Ordinal)];

    /// <summary>Adds a session whose chat key is established and tells the others.</summary>
    public void Join(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _members.TryAdd(session, 0);
        Notify(session, $"{session.Username} joined", PresenceEvent.Join);
        if (presenceNoticeLimit <= 0)
        {
            return;
        }

        if (_members.Count <= presenceNoticeLimit)
        {
            var online = Usernames;
            session.Post(new OutgoingChat($"online: {string.Join(", ", online)}", Kind: ChatPlaintext.SystemKind, Presence: PresenceEvent.Roster, Users: online));
        }
        else
        {
            session.Post(new OutgoingChat($"online: {_members.Count} users", Kind: ChatPlaintext.SystemKind, Presence: PresenceEvent.Roster));
        }
    }

    /// <summary>Removes a session and tells the others.</summary>
    public void Leave(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_members.TryRemove(session, out _))
        {
            Notify(session, $"{session.Username} left", PresenceEvent.Leave);
        }
    }

    /// <summary>Relays a user's message to every other member, in this server's order; waits while a
    /// recipient's queue is full but its writer is progressing (backpressure to the sender).</summary>
    /// <param name="sender">The author's session.</param>
    /// <param name="message">The relayed copy, with the author's origin (made by the protocol, §9.6).</param>
    /// <param name="cancellationToken">Stops waiting for a full queue.</param>
    public async Task RelayAsync(ServerSession sender, OutgoingChat message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        foreach (var member in _members.Keys)
        {
            if (!ReferenceEquals(member, sender))
            {
                await member.EnqueueAsync(message, 0, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Delivers a message relayed by another node to every member here.</summary>
    public async Task DeliverAsync(OutgoingChat message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var member in _members.Keys)
        {
            await member.EnqueueAsync(message, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>Every notice costs one signature per recipient, so a large room would spend quadratic work on
    /// presence alone: beyond the limit, joins and leaves are not announced.</remarks>
    private void Notify(ServerSession subject, string text, PresenceEvent presence)
    {
        if (_members.Count > presenceNoticeLimit)
        {
            return;
        }

        foreach (var member in _members.Keys)
        {
            if (!ReferenceEquals(member, subject))
            {
                member.Post(new OutgoingChat(text, Kind: ChatPlaintext.SystemKind, Presence: presence, Users: [subject.Username]));
            }
        }
    }
}
