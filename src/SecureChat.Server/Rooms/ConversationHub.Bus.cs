using System.Collections.Concurrent;
using System.Text;
using SecureChat.Accounts;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.Server.Cluster;

namespace SecureChat.Server.Rooms;

/// <summary>The other nodes' messages: each names a stored message (or, for <c>#lobby</c>, carries its stored form), and
/// is delivered here only once its author evidence verifies against this node's CA, as a client would check it.</summary>
public sealed partial class ConversationHub
{
    private readonly ConcurrentDictionary<long, long> _recentIds = new();
    private readonly Lock _lobbyCheck = new();
    private long _refusedFromBus;

    /// <summary>How many envelopes from other nodes were refused (forged, replayed, or naming no valid stored message).</summary>
    public long RefusedFromBus => Interlocked.Read(ref _refusedFromBus);

    /// <summary>Starts listening to the other nodes.</summary>
    public Task StartBusAsync(CancellationToken cancellationToken) =>
        _bus.StartAsync(OnEnvelopeAsync, OnBusRestored, () => _online.Usernames, cancellationToken);

    /// <summary>Tells the other nodes about a message relayed here; a bus that is down costs only their live copies (the
    /// record keeps what is owed, and they catch up when the bus is back).</summary>
    private async Task PublishAsync(BusEnvelope envelope)
    {
        try
        {
            await _bus.PublishAsync(envelope, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MessageBusUnavailableException or OperationCanceledException)
        {
            Log.BusPublishFailed(_log, envelope.To, envelope.Id, e.Message);
        }
    }

    private async Task OnEnvelopeAsync(BusEnvelope envelope)
    {
        if (envelope.Node == _bus.Node)
        {
            return;
        }

        try
        {
            var why = envelope.To == Conversations.DefaultRoom
                ? await DeliverLobbyAsync(envelope).ConfigureAwait(false)
                : await DeliverStoredAsync(envelope).ConfigureAwait(false);
            if (why is not null)
            {
                Interlocked.Increment(ref _refusedFromBus);
                Log.BusMessageRefused(_log, envelope.Node, envelope.To, envelope.Id, why);
            }
        }
        catch (UserStoreUnavailableException e)
        {
            // Still pending in the record: delivered at the recipients' next catch-up or login.
            Log.StoreUnavailable(_log, "", e.Message, $"message {envelope.Id} from node {envelope.Node} was not delivered here");
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Null when delivered (or nobody here needs it), else why it was refused.</summary>
    private async Task<string?> DeliverLobbyAsync(BusEnvelope envelope)
    {
        if (envelope.Body is not { } body || Decode(body) is not { } relayed)
        {
            return "a #lobby envelope without a decodable copy";
        }

        try
        {
            lock (_lobbyCheck)
            {
                // Live copy: the skew and replay checks apply (one verifier remembers every author session's seqno).
                _lobbyVerifier.Verify(relayed, NowMs);
            }
        }
        catch (ProtocolException e)
        {
            return e.Message;
        }

        if (relayed.To is not null and not Conversations.DefaultRoom || relayed.From is null)
        {
            return "not a #lobby copy";
        }

        if (StoredCopies.Decode(body, null) is { } copy)
        {
            await Lobby.DeliverAsync(copy with { Mark = null }, _stopping.Token).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<string?> DeliverStoredAsync(BusEnvelope envelope)
    {
        if (!Conversations.IsRoom(envelope.To) && !Conversations.IsPerson(envelope.To))
        {
            return "an envelope for no conversation";
        }

        var here = envelope.Recipients.Where(_online.IsOnline).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (here.Count == 0)
        {
            return null;
        }

        if ((await _store.MessagesAsync([envelope.Id], _stopping.Token).ConfigureAwait(false)) is not [var stored])
        {
            return "no such stored message";
        }

        if (Decode(stored.Body) is not { } relayed || relayed.From is null || !Conversations.SameUser(relayed.From, stored.Author)
            || Conversations.Of(relayed) != envelope.To || stored.Thread != Conversations.ThreadOf(stored.Author, envelope.To))
        {
            return "the stored message is not the one named";
        }

        if (!Conversations.IsRoom(envelope.To) && !(here.Count == 1 && Conversations.SameUser(here[0], Conversations.PersonOf(envelope.To))))
        {
            return "a direct message for someone it is not addressed to";
        }

        try
        {
            // A fresh verifier: the skew check refuses an old message passed off as live; the id set refuses a repeat.
            new OriginVerifier(_authors, _maxSkew, _maxTextBytes, Conversations.IsRoom(envelope.To) ? null : here[0]).Verify(relayed, NowMs);
        }
        catch (ProtocolException e)
        {
            return e.Message;
        }

        if (!Remember(stored.Id))
        {
            return "already delivered";
        }

        var copy = StoredCopies.Decode(stored.Body, null)! with { Mark = null };
        if (Conversations.IsRoom(envelope.To))
        {
            var members = await _store.MembersOfAsync(envelope.To, _stopping.Token).ConfigureAwait(false);
            here = [.. here.Where(u => members.Contains(u, StringComparer.OrdinalIgnoreCase) && !Conversations.SameUser(u, stored.Author))];
            foreach (var session in _online.SessionsOf(stored.Author))
            {
                await session.EnqueueAsync(copy, 0, _stopping.Token).ConfigureAwait(false);
            }
        }

        foreach (var user in here)
        {
            foreach (var session in _online.SessionsOf(user))
            {
                await session.EnqueueAsync(copy, stored.Id, _stopping.Token).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>True the first time an id is seen within the skew window (older ids are forgotten: the skew check refuses them).</summary>
    private bool Remember(long id)
    {
        var now = NowMs;
        if (_recentIds.Count > 10_000)
        {
            var before = now - (long)(_maxSkew.TotalMilliseconds * 2);
            foreach (var (old, at) in _recentIds)
            {
                if (at < before)
                {
                    _recentIds.TryRemove(old, out _);
                }
            }
        }

        return _recentIds.TryAdd(id, now);
    }

    /// <summary>The bus is back: traffic may have been missed, so every session here gets what the record still owes it.</summary>
    private void OnBusRestored()
    {
        var sessions = _online.All;
        Log.BusCatchUp(_log, sessions.Count);
        foreach (var session in sessions)
        {
            _ = Task.Run(() => WelcomeAsync(session, _stopping.Token));
        }
    }

    private static ChatPlaintext? Decode(string body)
    {
        try
        {
            return MessageCodec.DecodeChat(Encoding.UTF8.GetBytes(body));
        }
        catch (ProtocolException)
        {
            return null;
        }
    }
}
