using System.Threading.Channels;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>One session's outbox: relayed messages and notices queued for its user, sealed and sent in batches by
/// one writer loop over the session's connection.</summary>
/// <remarks>A full queue whose writer is making progress (the server is busy signing) makes the sender wait:
/// backpressure reaches the sender through its own socket. A full queue whose writer has been stuck in a socket
/// write for longer than the stall threshold, or that stays full past the slow-reader timeout, means this user is
/// not reading: this user is disconnected, never the sender.</remarks>
internal sealed class SessionOutbox
{
    private readonly ProtocolConnection _connection;
    private readonly ServerOptions _options;
    private readonly Action _onOverflow;
    private readonly Action<string> _onRelayTooLarge;
    private readonly Channel<OutgoingChat> _queue;
    private int _overflowed;

    /// <summary>Creates the outbox of a connection.</summary>
    /// <param name="connection">The session's connection.</param>
    /// <param name="options">Queue capacity and slow-reader thresholds.</param>
    /// <param name="onOverflow">Told once when the user is disconnected as a slow reader.</param>
    /// <param name="onRelayTooLarge">Told the author of a message skipped because its relayed form does not fit.</param>
    public SessionOutbox(ProtocolConnection connection, ServerOptions options, Action onOverflow, Action<string> onRelayTooLarge)
    {
        _connection = connection;
        _options = options;
        _onOverflow = onOverflow;
        _onRelayTooLarge = onRelayTooLarge;
        _queue = Channel.CreateBounded<OutgoingChat>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a server notice; dropped (harmlessly) if this user's queue is full.</summary>
    public void Post(OutgoingChat notice) => _queue.Writer.TryWrite(notice);

    /// <summary>Queues a relayed message, waiting while the queue is full but its writer progresses.</summary>
    public async ValueTask EnqueueAsync(OutgoingChat message, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(message) || _connection.Closing.IsCancellationRequested)
        {
            return;
        }

        if (_connection.PendingWrite.TotalSeconds > _options.StallThresholdSeconds)
        {
            Overflow();
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _connection.Closing);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.SlowReaderTimeoutSeconds));
        try
        {
            await _queue.Writer.WriteAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested && !_connection.Closing.IsCancellationRequested)
            {
                Overflow();
            }
        }
    }

    /// <summary>Takes no more messages; the writer loop ends once the connection does.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The writer loop: seals up to a batch of queued messages with one evidence flush, then sends them.</summary>
    public async Task RunAsync()
    {
        var batch = new List<OutgoingChat>(ProtocolConnection.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < ProtocolConnection.MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                // After this side's receipt (a shutdown) nothing more may be sent: the rest of the queue is dropped.
                var outputs = await _connection.SendAsync(endpoint => endpoint.CanSendMessages ? [.. batch.Select(endpoint.Send)] : []).ConfigureAwait(false);
                if (outputs is not { Count: > 0 })
                {
                    return;
                }

                for (var i = 0; i < outputs.Count; i++)
                {
                    if (outputs[i].Refused is not null)
                    {
                        // The relayed form (with from, kind and ts) can outgrow one frame although the original fitted;
                        // skip it for this recipient rather than stop delivering to them.
                        _onRelayTooLarge(batch[i].From ?? "");
                    }
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
