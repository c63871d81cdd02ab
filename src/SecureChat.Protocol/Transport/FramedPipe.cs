using System.Buffers;
using System.IO.Pipelines;
using SecureChat.Protocol.Framing;

namespace SecureChat.Protocol.Transport;

/// <summary>Reads and writes whole frames over an <see cref="IDuplexPipe"/>, so Kestrel's connection transport,
/// a client's socket stream and an in-memory pipe pair all drive the protocol the same way.</summary>
public sealed class FramedPipe(IDuplexPipe pipe)
{
    private readonly IDuplexPipe _pipe = pipe ?? throw new ArgumentNullException(nameof(pipe));

    /// <summary>Frames over a stream (a client's socket), through the same pipe code Kestrel's transport uses.</summary>
    public static FramedPipe Over(Stream stream) => new(PipeOver(stream));

    /// <summary>A duplex pipe over a stream (a client's socket), the shape Kestrel gives a server connection.</summary>
    public static IDuplexPipe PipeOver(Stream stream) => new StreamPipe(PipeReader.Create(stream), PipeWriter.Create(stream));

    /// <summary>Reads the next frame, length prefix included.</summary>
    /// <returns>The frame, or <see langword="null"/> when the peer closed cleanly between frames.</returns>
    /// <exception cref="ProtocolException"><c>FRAME_TOO_LARGE</c> (before the body is read).</exception>
    /// <exception cref="EndOfStreamException">The connection ended in the middle of a frame: the peer is gone, so there
    /// is nobody to tell.</exception>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        var reader = _pipe.Input;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                if (FrameReader.TryReadFrame(ref buffer, out var frame))
                {
                    var bytes = frame.ToArray();
                    reader.AdvanceTo(buffer.Start);
                    return bytes;
                }
            }
            catch (ProtocolException)
            {
                reader.AdvanceTo(buffer.Start);
                throw;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var partial = !buffer.IsEmpty;
                reader.AdvanceTo(buffer.End);
                return partial
                    ? throw new EndOfStreamException("connection closed in the middle of a frame")
                    : null;
            }

            // Nothing whole yet: mark everything examined so the next read waits for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Waits for the next frame, then also takes every further whole frame already received, up to
    /// <paramref name="maxFrames"/>, so a busy peer's messages are handled (and their transcript lines flushed)
    /// in batches.</summary>
    /// <returns>At least one frame, or an empty list when the peer closed cleanly between frames.</returns>
    /// <exception cref="ProtocolException">As <see cref="ReadFrameAsync"/>, but only when no good frame comes before
    /// the bad one: the good frames are returned first and the next call throws.</exception>
    public async ValueTask<IReadOnlyList<byte[]>> ReadFramesAsync(int maxFrames, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, 1);
        var first = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return [];
        }

        var frames = new List<byte[]> { first };
        var reader = _pipe.Input;
        while (frames.Count < maxFrames && reader.TryRead(out var result))
        {
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                while (frames.Count < maxFrames && FrameReader.TryReadFrame(ref buffer, out var frame))
                {
                    frames.Add(frame.ToArray());
                    consumed = buffer.Start;
                }
            }
            catch (ProtocolException)
            {
                // Left unread: the next ReadFrameAsync meets it again and throws, after these frames are handled.
            }

            // Nothing examined beyond what was consumed, so the next read returns the rest at once.
            reader.AdvanceTo(consumed);
            if (consumed.Equals(result.Buffer.Start))
            {
                break;
            }
        }

        return frames;
    }

    /// <summary>Writes frames in order and flushes once.</summary>
    public async ValueTask WriteAsync(IEnumerable<byte[]> frames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var writer = _pipe.Output;
        foreach (var frame in frames)
        {
            writer.Write(frame);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and throws away what the peer still sends, until it closes, <paramref name="limit"/> passes or
    /// <paramref name="maxBytes"/> arrive.</summary>
    /// <remarks>Closing a socket with unread input makes the kernel send a reset, which can destroy the error frame
    /// just written before the peer reads it; lingering like this lets the peer read it and close first.</remarks>
    public async Task DiscardInputAsync(TimeSpan limit, long maxBytes = 1 << 20)
    {
        using var timeout = new CancellationTokenSource(limit);
        var reader = _pipe.Input;
        long discarded = 0;
        try
        {
            while (discarded < maxBytes)
            {
                var result = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                discarded += result.Buffer.Length;
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Best effort only.
        }
    }

    /// <summary>Writes one frame and flushes.</summary>
    public ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken = default) => WriteAsync([frame], cancellationToken);

    private sealed class StreamPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
