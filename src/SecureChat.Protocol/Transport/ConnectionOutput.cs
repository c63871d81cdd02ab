using System.Diagnostics;

namespace SecureChat.Protocol.Transport;

/// <summary>The write side of a <see cref="ProtocolConnection"/>: frames queued in the order the connection's gate
/// gives them, and written to the socket outside that gate.</summary>
/// <remarks>A write blocked on a full socket must never keep its side from reading (and so from draining the peer),
/// or two sides that both write and read would wait on each other. Whoever holds the write lock writes everything
/// queued so far; a caller whose frames someone else wrote finds nothing left once it has the lock.</remarks>
internal sealed class ConnectionOutput(FramedPipe pipe)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<byte[]> _pending = [];
    private long _writeStartedTimestamp;
    private CancellationTokenSource? _idleDeadline;
    private TimeSpan _idle;

    /// <summary>How long the socket write in progress has been pending (zero when none is).</summary>
    public TimeSpan PendingWrite
    {
        get
        {
            var started = Volatile.Read(ref _writeStartedTimestamp);
            return started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started);
        }
    }

    /// <summary>Queues frames in gate order. Called under the connection's gate.</summary>
    public void Enqueue(IEnumerable<byte[]> frames)
    {
        lock (_pending)
        {
            _pending.AddRange(frames);
        }
    }

    /// <summary>Writes every queued frame, in order.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var frames = TakePending();
            if (frames.Length > 0)
            {
                await WriteAsync(frames, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Takes the write lock (bounded by <paramref name="cancellationToken"/>) and hands what is still queued,
    /// followed by <paramref name="last"/>, to <paramref name="write"/>: the error path's final write.</summary>
    public async Task WriteLastAsync(byte[] last, Func<IEnumerable<byte[]>, Task> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write([.. TakePending(), last]).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>From now on a frame delivered to the peer restarts <paramref name="deadline"/>'s idle wait, so a peer
    /// that only reads stays connected while frames flow to it.</summary>
    public void TrackIdle(CancellationTokenSource deadline, TimeSpan idle)
    {
        _idle = idle;
        Volatile.Write(ref _idleDeadline, deadline);
    }

    /// <summary>Stops restarting the idle wait (the read loop has ended and disposes its deadline).</summary>
    public void StopTrackingIdle() => Volatile.Write(ref _idleDeadline, null);

    private byte[][] TakePending()
    {
        lock (_pending)
        {
            byte[][] frames = [.. _pending];
            _pending.Clear();
            return frames;
        }
    }

    private async Task WriteAsync(IEnumerable<byte[]> frames, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _writeStartedTimestamp, Stopwatch.GetTimestamp());
        try
        {
            await pipe.WriteAsync(frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writeStartedTimestamp, 0);
        }

        if (Volatile.Read(ref _idleDeadline) is { } idle && !idle.IsCancellationRequested)
        {
            try
            {
                idle.CancelAfter(_idle);
            }
            catch (ObjectDisposedException)
            {
                // The read loop has ended meanwhile.
            }
        }
    }
}
