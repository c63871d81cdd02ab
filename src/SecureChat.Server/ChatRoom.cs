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
        Notify(session, $"{session.Username} joined", "join");
        if (presenceNoticeLimit <= 0)
        {
            return;
        }

        if (_members.Count <= presenceNoticeLimit)
        {
            var online = Usernames;
            session.EnqueueNotice(new OutgoingMessage($"online: {string.Join(", ", online)}", null, ChatPlaintext.SystemKind, null, "roster", online));
        }
        else
        {
            session.EnqueueNotice(new OutgoingMessage($"online: {_members.Count} users", null, ChatPlaintext.SystemKind, null, "roster"));
        }
    }

    /// <summary>Removes a session and tells the others.</summary>
    public void Leave(ServerSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_members.TryRemove(session, out _))
        {
            Notify(session, $"{session.Username} left", "leave");
        }
    }

    /// <summary>Relays a user's message to every other member, in this server's order; waits while a
    /// recipient's queue is full but its writer is progressing (backpressure to the sender).</summary>
    public async Task RelayAsync(ServerSession sender, string text, long originalTs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var message = new OutgoingMessage(text, sender.Username, ChatPlaintext.ChatKind, originalTs);
        foreach (var member in _members.Keys)
        {
            if (!ReferenceEquals(member, sender))
            {
                await member.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Asks every session to end with receipts (graceful shutdown).</summary>
    public Task EndAllAsync() => Task.WhenAll(_members.Keys.Select(m => m.EndAsync()));

    /// <remarks>Every notice costs one signature per recipient, so a large room would spend quadratic work on
    /// presence alone: beyond the limit, joins and leaves are not announced.</remarks>
    private void Notify(ServerSession subject, string text, string eventName)
    {
        if (_members.Count > presenceNoticeLimit)
        {
            return;
        }

        foreach (var member in _members.Keys)
        {
            if (!ReferenceEquals(member, subject))
            {
                member.EnqueueNotice(new OutgoingMessage(text, null, ChatPlaintext.SystemKind, null, eventName, [subject.Username]));
            }
        }
    }
}

/// <summary>A message waiting in a session's send queue.</summary>
/// <param name="Text">Message text.</param>
/// <param name="From">Original author, or null for a server notice.</param>
/// <param name="Kind"><c>chat</c> or <c>system</c>.</param>
/// <param name="OriginalTs">The author's timestamp for relayed messages.</param>
/// <param name="Event">For notices: <c>join</c>, <c>leave</c> or <c>roster</c>.</param>
/// <param name="Users">For a roster notice: who is online.</param>
public sealed record OutgoingMessage(string Text, string? From, string Kind, long? OriginalTs, string? Event = null, IReadOnlyList<string>? Users = null);
