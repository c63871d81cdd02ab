using System.Buffers;

namespace SecureChat.Protocol.Tests;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> out of many segments to test parsers at every boundary.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(params byte[][] segments)
    {
        if (segments.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new SegmentedSequence(segments[0], 0);
        var last = first;
        foreach (var segment in segments.Skip(1))
        {
            var next = new SegmentedSequence(segment, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="bytes"/> into segments of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chunked(byte[] bytes, int size) =>
        Create(bytes.Chunk(size).ToArray());
}
