using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using SecureChat.Evidence;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>One client connection: drives a <see cref="ServerProtocol"/> over the connection's pipe, writes the
/// session's transcript, and relays messages through the <see cref="ChatRoom"/>.</summary>
/// <remarks>All protocol state, transcript writes and socket writes happen under one gate, so the reader loop,
/// the writer loop and shutdown never interleave a seqno, a transcript line or a frame.</remarks>
public sealed partial class ServerSession : IAsyncDisposable
{
    /// <summary>Most frames handled per transcript flush: enough to amortise the fsync under load, few enough
    /// that one busy sender cannot hold the session's gate for long.</summary>
    private const int MaxBatch = 64;

    private readonly ConnectionContext _connection;
    private readonly ServerRuntime _runtime;
    private readonly FramedPipe _pipe;
    private readonly ServerProtocol _protocol;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<OutgoingMessage> _outbox;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;
    private readonly long _startedMs;
    private TranscriptWriter? _transcript;
    private Task? _writer;
    private long _flushStartedTimestamp;
    private volatile StopReason _stopReason;

    /// <summary>Prepares a session for an accepted connection.</summary>
    public ServerSession(ConnectionContext connection, ServerRuntime runtime)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _pipe = new FramedPipe(connection.Transport, runtime.Options.MaxFrameBytes);
        _protocol = new ServerProtocol(runtime.Pki.Identity, runtime.Pki.ClientValidator, runtime.ProtocolSettings);
        _outbox = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(runtime.Options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _log = runtime.LoggerFactory.CreateLogger<ServerSession>();
        _startedMs = runtime.ProtocolSettings.NowMs;
    }

    private enum StopReason
    {
        None,
        Ending,
        Overflow,
        Idle,
    }

    /// <summary>The logged-in user's name (empty before login).</summary>
    public string Username { get; private set; } = "";

    /// <summary>Path of this session's transcript, once the chat key is established.</summary>
    public string? TranscriptPath => _transcript?.Path;

    /// <summary>Runs the connection to its end; never throws for anything the peer does.</summary>
    public async Task RunAsync()
    {
        LogAccepted(_connection.ConnectionId, _connection.RemoteEndPoint?.ToString());
        try
        {
            if (!await HandshakeAsync().ConfigureAwait(false))
            {
                return;
            }

            _writer = WriteLoopAsync();
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (ProtocolException e)
        {
            await FailAsync(e).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            await OnStoppedAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException)
        {
            LogConnectionLost(_connection.ConnectionId, e.GetType().Name);
        }
        finally
        {
            _runtime.Room.Leave(this);
            _outbox.Writer.TryComplete();
            await StopWriterAsync().ConfigureAwait(false);

            // A receipt sent at shutdown may still hold the gate; it must finish before the transcript and keys are
            // disposed. The gate is never released again: every later wait on it gives up (the lifetime is cancelled).
            await _gate.WaitAsync().ConfigureAwait(false);

            LogClosed(_connection.ConnectionId, Username, _protocol.Chat?.LastReceived ?? 0, _protocol.Chat?.LastSent ?? 0);
            _finished.TrySetResult();
        }
    }

    /// <summary>Ends the session with receipts (shutdown), waiting a bounded time for the client's receipt.</summary>
    public async Task EndAsync()
    {
        if (_stopReason != StopReason.None)
        {
            await _finished.Task.ConfigureAwait(false);
            return;
        }

        _stopReason = StopReason.Ending;
        await SendReceiptAsync().ConfigureAwait(false);
        _lifetime.CancelAfter(TimeSpan.FromSeconds(_runtime.Options.ReceiptWaitSeconds));
        await _finished.Task.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The gate and the lifetime source stay undisposed: a relay or a shutdown that took its snapshot of the
    /// room just before this session left may still call <see cref="EnqueueAsync"/> or <see cref="EndAsync"/>, and those
    /// must find a cancelled session, not a disposed one. Both are safe to leave to the collector: the lifetime was
    /// cancelled when the run ended (so no timer is left) and nobody asked the gate for a wait handle.</remarks>
    public ValueTask DisposeAsync()
    {
        _transcript?.Dispose();
        _protocol.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReadLoopAsync()
    {
        var idle = TimeSpan.FromMinutes(_runtime.Options.IdleTimeoutMinutes);
        using var idleTimer = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        while (!_protocol.IsClosed)
        {
            idleTimer.CancelAfter(idle);
            IReadOnlyList<byte[]> frames;
            try
            {
                frames = await _pipe.ReadFramesAsync(MaxBatch, idleTimer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
            {
                Stop(StopReason.Idle);
                throw;
            }

            if (frames.Count == 0)
            {
                LogPeerClosed(_connection.ConnectionId, Username);
                return;
            }

            var batch = await ProcessAsync(frames).ConfigureAwait(false);
            foreach (var received in batch.Events.OfType<MessageReceived>())
            {
                await _runtime.Room.RelayAsync(this, received.Content.Text, received.Message.Ts, _lifetime.Token).ConfigureAwait(false);
            }

            if (batch.Events.OfType<SessionEnded>().Any())
            {
                LogReceiptsExchanged(_connection.ConnectionId, Username);
            }

            if (batch.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    /// <summary>Handles a batch of frames: their transcript lines are flushed with one fsync before any reply is
    /// written or any message relayed; the messages before a refused frame are still relayed before the session
    /// fails.</summary>
    private async Task<ReceivedBatch> ProcessAsync(IReadOnlyList<byte[]> frames)
    {
        await _gate.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            var batch = _protocol.ReceiveAll(frames);
            _transcript?.Record(batch.Outputs, _runtime.Options.KeepPlaintext);
            await _pipe.WriteAsync(batch.Frames, _lifetime.Token).ConfigureAwait(false);
            return batch;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SendReceiptAsync()
    {
        try
        {
            await _gate.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (_protocol.Chat is not null && !_protocol.IsClosed)
            {
                var output = _protocol.EndSession();
                Record(output);
                await _pipe.WriteAsync(output.Frames, _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            LogConnectionLost(_connection.ConnectionId, e.GetType().Name);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes transcript lines for what just happened, before any frame of it is sent.</summary>
    private void Record(ProtocolOutput output) => _transcript?.Record(output, _runtime.Options.KeepPlaintext);

    private void Stop(StopReason reason)
    {
        _stopReason = reason;
        _lifetime.Cancel();
    }

    private async Task OnStoppedAsync()
    {
        switch (_stopReason)
        {
            case StopReason.Overflow:
                LogOverflow(_connection.ConnectionId, Username);
                await SendErrorAsync(ProtocolErrorCode.Timeout, "send queue overflow: messages were not read in time").ConfigureAwait(false);
                _connection.Abort();
                break;
            case StopReason.Idle:
                LogIdle(_connection.ConnectionId, Username);
                await SendErrorAsync(ProtocolErrorCode.Timeout, "idle timeout").ConfigureAwait(false);
                break;
            case StopReason.Ending:
                LogNoPeerReceipt(_connection.ConnectionId, Username);
                break;
        }
    }

    private async Task FailAsync(ProtocolException e)
    {
        LogProtocolError(_connection.ConnectionId, Username, e.Code.ToWire(), e.Message, e.IsRemote);
        if (!e.IsRemote)
        {
            await SendErrorAsync(e.Code, e.Message).ConfigureAwait(false);
        }
    }

    private async Task StopWriterAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }
    }

    /// <summary>Best effort: a peer that does not read cannot hold the session open.</summary>
    private async Task SendErrorAsync(ProtocolErrorCode code, string message)
    {
        // The writer loop must be gone before this frame is written, so it cannot interleave; a receipt sent at
        // shutdown may still hold the gate, but its write was cancelled with the lifetime, so the wait is short.
        await StopWriterAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await _pipe.WriteAsync(ProtocolEndpoint.ErrorFrame(code, message), timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }

            await _pipe.DiscardInputAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException or ObjectDisposedException)
        {
            _connection.Abort();
        }
    }
}
