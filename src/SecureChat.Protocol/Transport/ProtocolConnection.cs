using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace SecureChat.Protocol.Transport;

/// <summary>Drives one <see cref="ProtocolEndpoint"/> over an <see cref="IDuplexPipe"/>: the one connection driver
/// that the server session and the client share.</summary>
/// <remarks>
/// <para>The cycle: read every whole frame already received (up to a batch), hand them to the state machine, record
/// their evidence with one disk flush, write the replies, then let the host act on them; on a local error send the
/// error frame and linger so the peer can read it; on the way out move to <see cref="ConnectionState.Closed"/>.</para>
/// <para>One gate orders every state change, evidence line and queued frame, so the reader, a host's writer and a
/// shutdown never interleave a seqno, a transcript line or a frame; the socket writes happen outside it, in queue
/// order, so a blocked write never stops this side from reading. The state only moves forward, in
/// <see cref="MoveTo"/>.</para>
/// </remarks>
public sealed class ProtocolConnection
{
    /// <summary>Most frames handled per evidence flush: enough to amortise the fsync under load, few enough that
    /// one busy peer cannot hold the gate for long.</summary>
    public const int MaxBatch = 64;

    private static readonly TimeSpan ErrorWriteLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LingerLimit = TimeSpan.FromSeconds(1);

    private readonly FramedPipe _pipe;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConnectionOutput _output;
    private readonly EvidenceGuard _evidence;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<ConnectionEnd> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = (int)ConnectionState.Handshake;
    private StopRequest? _stopRequest;

    /// <summary>Prepares a connection; nothing is read or written until the host starts it.</summary>
    public ProtocolConnection(IDuplexPipe transport, ProtocolEndpoint endpoint)
    {
        _pipe = new FramedPipe(transport ?? throw new ArgumentNullException(nameof(transport)));
        _output = new ConnectionOutput(_pipe);
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _evidence = new EvidenceGuard(endpoint.Side);
    }

    /// <summary>The state machine; touch it only inside <see cref="SendAsync(Func{ProtocolEndpoint, ProtocolOutput}, CancellationToken)"/>
    /// or the handler's callbacks.</summary>
    public ProtocolEndpoint Endpoint { get; }

    /// <summary>Where this connection is in its life.</summary>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>Where evidence goes, once the host has opened its transcript (null: none is kept).</summary>
    public IEvidenceRecorder? Recorder
    {
        get => _evidence.Recorder;
        set => _evidence.Recorder = value;
    }

    /// <summary>Cancelled as soon as the connection starts to end (a stop, an error, the end of the read loop): waits
    /// on the connection's behalf should give up then.</summary>
    public CancellationToken Closing => _lifetime.Token;

    /// <summary>What failed when evidence could not be written (exception type and message), for the host's log.</summary>
    public string? EvidenceFailureCause => _evidence.Cause;

    /// <summary>How the connection ended, once it has.</summary>
    public Task<ConnectionEnd> Completion => _completion.Task;

    /// <summary>How long the socket write in progress has been pending (zero when none is): a peer whose writes
    /// stall is not reading.</summary>
    public TimeSpan PendingWrite => _output.PendingWrite;

    /// <summary>Whether an exception means the peer or the transport is gone (as opposed to a bug): the one
    /// definition every host uses.</summary>
    /// <remarks>A cancellation that is none of this connection's own timeouts or stops is the transport aborting.</remarks>
    public static bool IsConnectionGone(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException or OperationCanceledException;

    /// <summary>Refuses a connection before any protocol runs: sends the error frame, then lingers.</summary>
    public static async Task RefuseAsync(IDuplexPipe transport, ProtocolErrorCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(transport);
        await SendErrorAndLingerAsync(new FramedPipe(transport), [ProtocolEndpoint.ErrorFrame(code, message)]).ConfigureAwait(false);
    }

    /// <summary>Runs the read cycle until the connection ends; never throws for anything the peer does.</summary>
    public async Task<ConnectionEnd> RunAsync(IConnectionHandler handler, ConnectionTimeouts timeouts)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(timeouts);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        ConnectionEnd end;
        try
        {
            end = await ReadLoopAsync(handler, timeouts, deadline).ConfigureAwait(false);
            _output.StopTrackingIdle();
        }
        catch (ProtocolException e) when (e.IsRemote)
        {
            end = Ended(EndReason.PeerError, e);
        }
        catch (ProtocolException e)
        {
            end = await FailAsync(ReferenceEquals(e, _evidence.Failure) ? EndReason.EvidenceFailed : EndReason.ProtocolError, e).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            end = await OnStoppedAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            end = Ended(EndReason.Lost, null, e.GetType().Name);
        }

        await CloseAsync().ConfigureAwait(false);
        _completion.TrySetResult(end);
        return end;
    }

    /// <summary>Runs one step of the state machine under the gate, records its evidence, then writes its frames.</summary>
    /// <returns>The step's output, or null when the connection no longer takes writes from the host.</returns>
    public async ValueTask<ProtocolOutput?> SendAsync(Func<ProtocolEndpoint, ProtocolOutput> step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var outputs = await SendAsync(endpoint => [step(endpoint)], cancellationToken).ConfigureAwait(false);
        return outputs?[0];
    }

    /// <summary>As <see cref="SendAsync(Func{ProtocolEndpoint, ProtocolOutput}, CancellationToken)"/> for several steps
    /// whose evidence is flushed once, before any of their frames leaves.</summary>
    public async ValueTask<IReadOnlyList<ProtocolOutput>?> SendAsync(Func<ProtocolEndpoint, IReadOnlyList<ProtocolOutput>> steps,
        CancellationToken cancellationToken = default)
    {
        var outputs = await QueueAsync(steps, cancellationToken).ConfigureAwait(false);
        if (outputs is not null)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
            await FlushAsync(linked.Token).ConfigureAwait(false);
        }

        return outputs;
    }

    /// <summary>The first half of a send: runs the steps under the gate, records their evidence and queues their
    /// frames, without writing them. A host that rations CPU work (sealing) holds its ration only for this half,
    /// then calls <see cref="FlushAsync"/>.</summary>
    /// <returns>The steps' outputs, or null when the connection no longer takes writes from the host.</returns>
    public async ValueTask<IReadOnlyList<ProtocolOutput>?> QueueAsync(Func<ProtocolEndpoint, IReadOnlyList<ProtocolOutput>> steps,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            if (State is ConnectionState.Closing or ConnectionState.Closed || Endpoint.IsClosed)
            {
                return null;
            }

            var outputs = steps(Endpoint);
            if (!_evidence.TryRecord(outputs))
            {
                // Nothing unrecorded leaves: the read loop sends INTERNAL and ends the session.
                RequestStop(new StopRequest(ProtocolErrorCode.Internal, _evidence.Failure!.Message, EndReason.EvidenceFailed));
                return null;
            }

            _output.Enqueue(outputs.SelectMany(o => o.Frames));
            return outputs;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the connection with an error frame of the host's choice (for example a recipient that does not
    /// read). Safe from any thread; the first stop wins.</summary>
    public void Abort(ProtocolErrorCode code, string message) => RequestStop(new StopRequest(code, message, EndReason.Aborted));

    /// <summary>Stops the connection without an error frame (for example when a receipt never came). Safe from any
    /// thread; the first stop wins.</summary>
    public void Abandon() => RequestStop(new StopRequest(null, null, EndReason.Abandoned));

    private async Task<ConnectionEnd> ReadLoopAsync(IConnectionHandler handler, ConnectionTimeouts timeouts, CancellationTokenSource deadline)
    {
        if (timeouts.Handshake is { } handshake)
        {
            deadline.CancelAfter(handshake);
        }

        while (true)
        {
            if (State == ConnectionState.Open && timeouts.Idle is { } idle)
            {
                // Idle means nothing in either direction: a frame delivered to the peer restarts the wait too, so a
                // user who only reads stays connected while the conversation goes on.
                _output.TrackIdle(deadline, idle);
                deadline.CancelAfter(idle);
            }

            var frames = await _pipe.ReadFramesAsync(MaxBatch, deadline.Token).ConfigureAwait(false);
            if (frames.Count == 0)
            {
                return Ended(EndReason.PeerClosed, null);
            }

            var batch = await ReceiveAsync(handler, frames, deadline.Token).ConfigureAwait(false);
            if (batch.Established is not null && timeouts.Idle is null)
            {
                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            }

            await handler.OnReceivedAsync(batch, deadline.Token).ConfigureAwait(false);
            if (batch.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            if (batch.Ended)
            {
                return Ended(EndReason.ReceiptsExchanged, null);
            }

            if (Endpoint.IsClosed)
            {
                // The state machine closed the session with its own error frame: let the peer read it.
                await _pipe.DiscardInputAsync(LingerLimit).ConfigureAwait(false);
                return Ended(EndReason.ClosedByProtocol, null);
            }
        }
    }

    /// <summary>Feeds frames to the state machine under the gate: their evidence is flushed once before any reply
    /// is written; the frames before a refused one stay accepted.</summary>
    private async Task<ReceivedBatch> ReceiveAsync(IConnectionHandler handler, IReadOnlyList<byte[]> frames, CancellationToken cancellationToken)
    {
        ReceivedBatch batch;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            batch = Endpoint.ReceiveAll(frames);
            if (batch.Established is not null)
            {
                MoveTo(ConnectionState.Open);
            }

            try
            {
                handler.OnAccepted(batch);
            }
            catch (Exception e) when (EvidenceGuard.IsStorageFailure(e))
            {
                _evidence.Fail(e);
            }

            if (!_evidence.TryRecord(batch.Outputs))
            {
                throw _evidence.Failure!;
            }

            _output.Enqueue(batch.Frames);
        }
        finally
        {
            _gate.Release();
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return batch;
    }

    /// <summary>Writes every queued frame, in order, outside the gate (the second half of a send).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _output.FlushAsync(cancellationToken);

    private Task<ConnectionEnd> OnStoppedAsync()
    {
        if (Volatile.Read(ref _stopRequest) is { } stop)
        {
            return stop.Code is { } code
                ? FailAsync(stop.Reason, new ProtocolException(code, stop.Message!))
                : Task.FromResult(Ended(EndReason.Abandoned, null));
        }

        return State == ConnectionState.Handshake
            ? FailAsync(EndReason.HandshakeTimeout, new ProtocolException(ProtocolErrorCode.Timeout, "handshake not completed in time"))
            : FailAsync(EndReason.IdleTimeout, new ProtocolException(ProtocolErrorCode.Timeout, "idle timeout"));
    }

    /// <summary>The one error path: no more host writes, then the error frame, then linger.</summary>
    private async Task<ConnectionEnd> FailAsync(EndReason reason, ProtocolException error)
    {
        var inHandshake = State == ConnectionState.Handshake;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        using var bounded = new CancellationTokenSource(ErrorWriteLimit);
        try
        {
            // A write stuck on a full socket was cancelled with the lifetime, so the gate frees quickly.
            await _gate.WaitAsync(bounded.Token).ConfigureAwait(false);
            try
            {
                MoveTo(ConnectionState.Closing);
            }
            finally
            {
                _gate.Release();
            }

            // A flush stuck on a full socket was cancelled with the lifetime too. What is queued was recorded before it
            // was queued, so it goes out ahead of the error frame.
            await _output.WriteLastAsync(ProtocolEndpoint.ErrorFrame(error.Code, error.Message),
                frames => SendErrorAndLingerAsync(_pipe, frames), bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection is going away anyway.
        }

        return new ConnectionEnd(reason, error, inHandshake);
    }

    private static async Task SendErrorAndLingerAsync(FramedPipe pipe, IEnumerable<byte[]> frames)
    {
        using var timeout = new CancellationTokenSource(ErrorWriteLimit);
        try
        {
            await pipe.WriteAsync(frames, timeout.Token).ConfigureAwait(false);

            // Closing with unread input makes the kernel send a reset, which can destroy the error frame before the
            // peer reads it: read and drop what still comes until the peer closes, for a bounded time.
            await pipe.DiscardInputAsync(LingerLimit).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionGone(e) || e is InvalidOperationException)
        {
            // Best effort: a peer that does not read cannot hold the connection open (and a transport already
            // completed by the host refuses the write).
        }
    }

    private ConnectionEnd Ended(EndReason reason, ProtocolException? error, string? cause = null) =>
        new(reason, error, State == ConnectionState.Handshake, cause);

    private void RequestStop(StopRequest request)
    {
        if (Interlocked.CompareExchange(ref _stopRequest, request, null) is null)
        {
            _lifetime.Cancel();
        }
    }

    /// <summary>Moves to <see cref="ConnectionState.Closed"/> under the gate: once this returns, no write or evidence
    /// line can happen any more, so the host may dispose its transcript and keys.</summary>
    private async Task CloseAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            MoveTo(ConnectionState.Closed);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The one place the state changes: forward only.</summary>
    private void MoveTo(ConnectionState next)
    {
        if ((int)next > _state)
        {
            Volatile.Write(ref _state, (int)next);
        }
    }

    private sealed record StopRequest(ProtocolErrorCode? Code, string? Message, EndReason Reason);
}
