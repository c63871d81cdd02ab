using System.Diagnostics;
using System.Threading.Channels;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>One session's outbox: relayed messages and notices queued for its user, sealed and sent in batches by
/// one writer loop over the session's connection.</summary>
/// <remarks>A full queue whose writer is making progress (the server is busy signing) makes the sender wait:
/// backpressure reaches the sender through its own socket. A writer stuck in a socket write for longer than the
/// stall threshold, or one that has delivered nothing for the slow-reader timeout while its queue is full, means
/// this user is not reading: this user is disconnected, never the sender.</remarks>
internal sealed class SessionOutbox
{
    private readonly ProtocolConnection _connection;
    private readonly ServerOptions _options;
    private readonly SemaphoreSlim _fanOut;
    private readonly Action<long> _countBacklog;
    private readonly Action _onOverflow;
    private readonly Action<string> _onRelayTooLarge;
    private readonly Action<IReadOnlyList<long>> _onDelivered;
    private readonly Channel<OutboxItem> _queue;
    private int _overflowed;
    private long _lastProgress = Stopwatch.GetTimestamp();

    /// <summary>Creates the outbox of a connection.</summary>
    /// <param name="connection">The session's connection.</param>
    /// <param name="options">Queue capacity and slow-reader thresholds.</param>
    /// <param name="fanOut">The server's fan-out slots, shared by every session's writer.</param>
    /// <param name="countBacklog">Told how many messages entered (positive) or left (negative) this outbox.</param>
    /// <param name="onOverflow">Told once when the user is disconnected as a slow reader.</param>
    /// <param name="onRelayTooLarge">Told the author of a message skipped because its relayed form does not fit.</param>
    /// <param name="onDelivered">Told the stored ids of copies once they have been written to the socket.</param>
    public SessionOutbox(ProtocolConnection connection, ServerOptions options, SemaphoreSlim fanOut, Action<long> countBacklog,
        Action onOverflow, Action<string> onRelayTooLarge, Action<IReadOnlyList<long>> onDelivered)
    {
        _onDelivered = onDelivered;
        _countBacklog = countBacklog;
        _connection = connection;
        _fanOut = fanOut;
        _options = options;
        _onOverflow = onOverflow;
        _onRelayTooLarge = onRelayTooLarge;
        _queue = Channel.CreateBounded<OutboxItem>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a server notice; dropped (harmlessly) if this user's queue is full.</summary>
    public void Post(OutgoingChat notice)
    {
        if (_queue.Writer.TryWrite(new OutboxItem(notice, 0)))
        {
            _countBacklog(1);
        }
    }

    /// <summary>Queues a relayed message, waiting while the queue is full but its writer progresses.</summary>
    /// <remarks>The recipient is dropped only when its own socket stops draining: a write pending longer than the
    /// stall threshold, or no batch delivered for the slow-reader timeout. A server that is merely busy (its writer
    /// sealing and sending, slowly) makes the sender wait instead.</remarks>
    /// <param name="message">The copy.</param>
    /// <param name="storedId">The id of the stored message this copy delivers to this user (0: none), reported once
    /// the copy is written so that the server can stop keeping it for this user.</param>
    /// <param name="cancellationToken">Stops waiting for a full queue.</param>
    public async ValueTask EnqueueAsync(OutgoingChat message, long storedId, CancellationToken cancellationToken)
    {
        var item = new OutboxItem(message, storedId);
        if (_queue.Writer.TryWrite(item))
        {
            _countBacklog(1);
            return;
        }

        if (_connection.Closing.IsCancellationRequested)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _connection.Closing);
        var recheck = TimeSpan.FromSeconds(Math.Max(0.05, Math.Min(_options.StallThresholdSeconds, 1)));
        while (true)
        {
            if (!IsDraining)
            {
                Overflow();
                return;
            }

            using var slice = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            slice.CancelAfter(recheck);
            try
            {
                await _queue.Writer.WriteAsync(item, slice.Token).ConfigureAwait(false);
                _countBacklog(1);
                return;
            }
            catch (OperationCanceledException) when (!linked.IsCancellationRequested)
            {
                // Still full: look again at whether this recipient's socket drains.
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                return;
            }
        }
    }

    /// <summary>False when this recipient's socket has stopped draining.</summary>
    private bool IsDraining =>
        _connection.PendingWrite.TotalSeconds <= _options.StallThresholdSeconds
        && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress)).TotalSeconds <= _options.SlowReaderTimeoutSeconds;

    /// <summary>Takes no more messages; the writer loop ends once the connection does.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Once the writer loop has ended: what is left unsent no longer counts against the server's backlog.</summary>
    public void DiscardUnsent()
    {
        var left = 0;
        while (_queue.Reader.TryRead(out _))
        {
            left++;
        }

        _countBacklog(-left);
    }

    /// <summary>The writer loop: seals up to a batch of queued messages with one evidence flush, then sends them.</summary>
    public async Task RunAsync()
    {
        var batch = new List<OutboxItem>(ProtocolConnection.MaxBatch);
        var delivered = new List<long>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Progress is measured from when the writer takes up work, so a session idle for long is not judged by
                // its last delivery before the idleness.
                Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
                batch.Clear();
                while (batch.Count < ProtocolConnection.MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                _countBacklog(-batch.Count);

                // Sealing is rationed across all sessions (a fan-out slot), so that a large room leaves the handshakes
                // and logins their share of the CPU; the slot is held for sealing and recording only, not for the
                // socket write. After this side's receipt (a shutdown) nothing more may be sent: the rest is dropped.
                IReadOnlyList<ProtocolOutput>? outputs;
                await _fanOut.WaitAsync(_connection.Closing).ConfigureAwait(false);
                try
                {
                    outputs = await _connection.QueueAsync(endpoint => endpoint.CanSendMessages ? [.. batch.Select(item => endpoint.Send(item.Message))] : []).ConfigureAwait(false);
                }
                finally
                {
                    _fanOut.Release();
                }

                if (outputs is not { Count: > 0 })
                {
                    return;
                }

                await _connection.FlushAsync(_connection.Closing).ConfigureAwait(false);

                Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());

                delivered.Clear();
                for (var i = 0; i < outputs.Count; i++)
                {
                    if (outputs[i].Refused is not null)
                    {
                        // The relayed form (with from, kind and ts) can outgrow one frame although the original fitted;
                        // skip it for this recipient rather than stop delivering to them.
                        _onRelayTooLarge(batch[i].Message.From ?? "");
                    }
                    else if (batch[i].StoredId != 0)
                    {
                        delivered.Add(batch[i].StoredId);
                    }
                }

                if (delivered.Count > 0)
                {
                    _onDelivered([.. delivered]);
                }
            }
        }
        catch (Exception e) when (ProtocolConnection.IsConnectionGone(e))
        {
            // The connection's read loop owns the session's end; the writer only stops.
        }
    }

    private void Overflow()
    {
        if (Interlocked.Exchange(ref _overflowed, 1) == 0)
        {
            _onOverflow();
            _connection.Abort(ProtocolErrorCode.Timeout, "send queue overflow: messages were not read in time");
        }
    }
}

/// <summary>One queued copy or notice, with the id of the stored message it delivers (0 when none).</summary>
internal readonly record struct OutboxItem(OutgoingChat Message, long StoredId);
