using System.Buffers;
using SecureChat.Protocol.Framing;

namespace SecureChat.Protocol.Tests;

public sealed class FrameReaderTests
{
    private static readonly byte[] HelloFrame = [0x00, 0x00, 0x00, 0x03, (byte)'a', (byte)'b', (byte)'c'];

    [Fact]
    public void Reads_one_frame_byte_exact()
    {
        var buffer = new ReadOnlySequence<byte>(HelloFrame);
        Assert.True(FrameReader.TryReadFrame(ref buffer, out var frame));
        Assert.Equal(HelloFrame, frame.ToArray());
        Assert.Equal("abc"u8.ToArray(), FrameReader.Body(frame.ToArray()).ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Incomplete_input_needs_more_and_consumes_nothing(int available)
    {
        var buffer = new ReadOnlySequence<byte>(HelloFrame.AsMemory(0, available));
        Assert.False(FrameReader.TryReadFrame(ref buffer, out _));
        Assert.Equal(available, buffer.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Frame_split_across_segments_is_reassembled(int segmentSize)
    {
        var twoFrames = HelloFrame.Concat(FrameWriter.Frame("{\"type\":\"x\"}"u8)).ToArray();
        var buffer = SegmentedSequence.Chunked(twoFrames, segmentSize);

        Assert.True(FrameReader.TryReadFrame(ref buffer, out var first));
        Assert.Equal(HelloFrame, first.ToArray());
        Assert.True(FrameReader.TryReadFrame(ref buffer, out var second));
        Assert.Equal("{\"type\":\"x\"}"u8.ToArray(), second.ToArray()[4..]);
        Assert.False(FrameReader.TryReadFrame(ref buffer, out _));
    }

    [Fact]
    public void Zero_length_is_rejected()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 0 });
        var e = Assert.Throws<ProtocolException>(() => FrameReader.TryReadFrame(ref buffer, out _));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, e.Code);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x01 })] // 65537
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x80, 0x00, 0x00, 0x00 })]
    public void Oversized_length_is_rejected_from_the_prefix_alone(byte[] prefix)
    {
        // Only the four prefix bytes exist: the body is never waited for or buffered.
        var buffer = SegmentedSequence.Create(prefix[..2], prefix[2..]);
        var e = Assert.Throws<ProtocolException>(() => FrameReader.TryReadFrame(ref buffer, out _));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, e.Code);
    }

    [Fact]
    public void Exactly_the_maximum_is_accepted()
    {
        var body = new byte[FrameReader.MaxFrameLength];
        var buffer = new ReadOnlySequence<byte>(FrameWriter.Frame(body));
        Assert.True(FrameReader.TryReadFrame(ref buffer, out var frame));
        Assert.Equal(FrameReader.MaxFrameLength + 4, frame.Length);
    }

    [Fact]
    public void Writer_prefixes_big_endian_length()
    {
        var frame = FrameWriter.Frame(new byte[0x0102]);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x01, 0x02 }, frame[..4]);
        Assert.Throws<ArgumentException>(() => FrameWriter.Frame([]));
        Assert.Throws<ArgumentException>(() => FrameWriter.Frame(new byte[FrameReader.MaxFrameLength + 1]));
    }
}
