using System.Buffers;

namespace SecureChat.Benchmarks.Infrastructure;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> over several segments, as a pipe hands over bytes that
/// arrived in several reads.</summary>
internal sealed class SegmentedBuffer : ReadOnlySequenceSegment<byte>
{
    private SegmentedBuffer(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Splits <paramref name="bytes"/> at the given offsets (ascending, inside the array).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(cuts);
        var bounds = cuts.Prepend(0).Append(bytes.Length).ToArray();
        var first = new SegmentedBuffer(bytes.AsMemory(bounds[0], bounds[1] - bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length - 1; i++)
        {
            var next = new SegmentedBuffer(bytes.AsMemory(bounds[i], bounds[i + 1] - bounds[i]), bounds[i]);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
