using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Server;

/// <summary>The session's outbox: relayed messages and notices queued for this user, sealed and sent by one
/// writer loop in batches.</summary>
public sealed partial class ServerSession
{
    /// <summary>Queues a server notice; dropped (harmlessly) if this user's queue is full.</summary>
    public void EnqueueNotice(OutgoingMessage message) => _outbox.Writer.TryWrite(message);

    /// <summary>Queues a relayed message for this user.</summary>
    /// <remarks>A full queue whose writer is making progress (the server is busy signing) makes the sender
    /// wait: backpressure reaches the sender through its own socket. A full queue whose writer has been stuck
    /// in a socket write for longer than the stall threshold, or that stays full past the slow-reader
    /// timeout, means this user is not reading: this user is disconnected, never the sender.</remarks>
    public async ValueTask EnqueueAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (_outbox.Writer.TryWrite(message) || _stopReason != StopReason.None)
        {
            return;
        }

        if (IsStalled)
        {
            Stop(StopReason.Overflow);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(_runtime.Options.SlowReaderTimeoutSeconds));
        try
        {
            await _outbox.Writer.WriteAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            if (!cancellationToken.IsCancellationRequested && _stopReason == StopReason.None)
            {
                Stop(StopReason.Overflow);
            }
        }
    }

    /// <summary>True when a write to this user's socket has been pending longer than the stall threshold.</summary>
    private bool IsStalled
    {
        get
        {
            var started = Volatile.Read(ref _flushStartedTimestamp);
            return started != 0 && Stopwatch.GetElapsedTime(started).TotalSeconds > _runtime.Options.StallThresholdSeconds;
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<OutgoingMessage>(MaxBatch);
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(_lifetime.Token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _outbox.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await _gate.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                try
                {
                    if (_protocol.IsClosed || _stopReason != StopReason.None)
                    {
                        return;
                    }

                    // One fsync for the whole batch, before any of its frames leaves.
                    var outputs = batch.Select(Seal).OfType<ProtocolOutput>().ToList();
                    _transcript?.Record(outputs, _runtime.Options.KeepPlaintext);
                    Volatile.Write(ref _flushStartedTimestamp, Stopwatch.GetTimestamp());
                    await _pipe.WriteAsync(outputs.SelectMany(o => o.Frames), _lifetime.Token).ConfigureAwait(false);
                    Volatile.Write(ref _flushStartedTimestamp, 0);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            // The read loop owns the session's end; the writer only stops.
        }
    }

    /// <summary>Seals one queued message for this user, or returns <see langword="null"/> when it cannot go.</summary>
    private ProtocolOutput? Seal(OutgoingMessage item)
    {
        var plaintext = new ChatPlaintext
        {
            Text = item.Text,
            R = _protocol.Chat!.NewCommitRandom(),
            From = item.From,
            Kind = item.Kind,
            Ts = item.OriginalTs,
            Event = item.Event,
            Users = item.Users,
        };
        try
        {
            return _protocol.Send(plaintext);
        }
        catch (ArgumentException)
        {
            // The relayed form (with from, kind and ts) can outgrow one frame although the original fitted; skip it
            // for this recipient rather than stop delivering to them.
            LogRelayTooLarge(_connection.ConnectionId, Username, item.From);
            return null;
        }
    }
}
