using System.Buffers.Binary;

namespace SecureChat.Protocol.Framing;

/// <summary>Builds length-prefixed frames (protocol §1).</summary>
public static class FrameWriter
{
    /// <summary>Returns <c>u32 length || body</c>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.Length > FrameReader.MaxFrameLength)
        {
            throw new ArgumentException($"A frame body must hold 1..{FrameReader.MaxFrameLength} bytes.", nameof(body));
        }

        var frame = new byte[FrameReader.PrefixLength + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame.AsSpan(FrameReader.PrefixLength));
        return frame;
    }
}
