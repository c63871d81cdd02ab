using System.Buffers;
using System.Buffers.Binary;

namespace SecureChat.Protocol.Framing;

/// <summary>Reads length-prefixed frames (protocol §1): <c>u32 length (big-endian) || length bytes</c>.</summary>
/// <remarks>Pure: it never buffers. A length of zero or above the limit is rejected as soon as the four
/// prefix bytes are available, before any of the body is read.</remarks>
public static class FrameReader
{
    /// <summary>Size of the length prefix.</summary>
    public const int PrefixLength = 4;

    /// <summary>The protocol's maximum frame body length (MAX_FRAME, §1): fixed by the specification, not a setting.</summary>
    public const int MaxFrameLength = 65536;

    /// <summary>Tries to take one whole frame off the front of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Received bytes; on success it is advanced past the frame.</param>
    /// <param name="frame">The frame including its length prefix, exactly as on the wire.</param>
    /// <returns><see langword="false"/> when more bytes are needed.</returns>
    /// <exception cref="ProtocolException"><c>FRAME_TOO_LARGE</c> for a zero or oversized length.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length == 0 || length > MaxFrameLength)
        {
            throw new ProtocolException(
                ProtocolErrorCode.FrameTooLarge,
                length == 0 ? "frame length is zero" : $"frame length {length} exceeds the limit of {MaxFrameLength} bytes");
        }

        var total = PrefixLength + (long)length;
        if (buffer.Length < total)
        {
            return false;
        }

        frame = buffer.Slice(0, total);
        buffer = buffer.Slice(total);
        return true;
    }

    /// <summary>Returns the body of a whole frame, checking that its length prefix describes exactly that body.</summary>
    /// <exception cref="ProtocolException"><c>PROTOCOL_ERROR</c> when the bytes are not exactly one frame.</exception>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> frame)
    {
        if (frame.Length <= PrefixLength || BinaryPrimitives.ReadUInt32BigEndian(frame) != (uint)(frame.Length - PrefixLength))
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, "not exactly one length-prefixed frame");
        }

        return frame[PrefixLength..];
    }
}
