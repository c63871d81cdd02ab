using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Client;

/// <summary>The receiving side: the read loop, batched frame handling and error reporting.</summary>
public sealed partial class ChatClient
{
    /// <summary>Most frames handled per transcript flush.</summary>
    private const int MaxBatch = 64;

    private async Task ReadLoopAsync()
    {
        ChatEnded? ended = null;
        try
        {
            while (ended is null)
            {
                var frames = await ReadFramesAsync(_lifetime.Token).ConfigureAwait(false);
                if (frames.Count == 0)
                {
                    ended = new ChatEnded(false, new ProtocolException(ProtocolErrorCode.ProtocolError, "the server closed the connection without a receipt"));
                    break;
                }

                var batch = await ReceiveBatchAsync(frames, _lifetime.Token).ConfigureAwait(false);
                foreach (var e in batch.Events)
                {
                    if (e is MessageReceived m)
                    {
                        var c = m.Content;
                        await _events.Writer.WriteAsync(new ChatMessageReceived(m.Message.Seqno, c.From, c.Text, c.Kind ?? ChatPlaintext.ChatKind, c.Ts ?? m.Message.Ts, c.Event, c.Users)).ConfigureAwait(false);
                    }
                    else if (e is SessionEnded)
                    {
                        ended = new ChatEnded(true, null);
                    }
                }

                if (batch.Failure is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }
            }
        }
        catch (ProtocolException e)
        {
            ended = new ChatEnded(false, e);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            ended = new ChatEnded(false, new ProtocolException(ProtocolErrorCode.ProtocolError, "the connection was lost"));
        }

        await _events.Writer.WriteAsync(ended).ConfigureAwait(false);
        _events.Writer.TryComplete();
        _ended.TrySetResult(ended);
    }

    /// <summary>Feeds a batch of frames to the protocol: their transcript lines are flushed with one fsync before any
    /// reply is sent or any message shown. A local protocol error stops the batch; the frames before it still count,
    /// and the server is told why.</summary>
    private async Task<ReceivedBatch> ReceiveBatchAsync(IReadOnlyList<byte[]> frames, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batch = _protocol.ReceiveAll(frames);
            _transcript?.Record(batch.Outputs, keepPlaintext: true);
            await _pipe.WriteAsync(batch.Frames, cancellationToken).ConfigureAwait(false);
            if (batch.Failure is { IsRemote: false } local)
            {
                await TrySendErrorAsync(local).ConfigureAwait(false);
            }

            return batch;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>As <see cref="ReadFrameAsync"/>, for every whole frame already received (up to a batch).</summary>
    private Task<IReadOnlyList<byte[]>> ReadFramesAsync(CancellationToken cancellationToken) =>
        ReportingFrameTooLargeAsync(() => _pipe.ReadFramesAsync(MaxBatch, cancellationToken));

    /// <summary>Reads the next frame; a length prefix refused before the body (<c>FRAME_TOO_LARGE</c>) is reported to the
    /// server like any other error this side detects, since the connection can still carry it.</summary>
    private Task<byte[]?> ReadFrameAsync(CancellationToken cancellationToken) =>
        ReportingFrameTooLargeAsync(() => _pipe.ReadFrameAsync(cancellationToken));

    private async Task<T> ReportingFrameTooLargeAsync<T>(Func<ValueTask<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (ProtocolException e) when (e.Code == ProtocolErrorCode.FrameTooLarge)
        {
            await ReportFrameTooLargeAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReportFrameTooLargeAsync(ProtocolException e)
    {
        // Bounded: a sender stuck on a full socket must not keep this side from closing.
        if (await _gate.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await TrySendErrorAsync(e).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Feeds one frame to the protocol (a batch of one); on a protocol error, after telling the server why
    /// if this side found it, rethrows.</summary>
    private async Task<ProtocolOutput> ReceiveAsync(byte[] frame, CancellationToken cancellationToken)
    {
        var batch = await ReceiveBatchAsync([frame], cancellationToken).ConfigureAwait(false);
        if (batch.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return batch.Outputs[0];
    }

    /// <remarks>Then lingers, reading and dropping input until the server closes (at most a second): closing with
    /// unread bytes makes the kernel send a reset, which can destroy the error frame before the server reads it.</remarks>
    private async Task TrySendErrorAsync(ProtocolException e)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _pipe.WriteAsync(ProtocolEndpoint.ErrorFrame(e.Code, e.Message), timeout.Token).ConfigureAwait(false);
            await _pipe.DiscardInputAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is going away anyway.
        }
    }
}
