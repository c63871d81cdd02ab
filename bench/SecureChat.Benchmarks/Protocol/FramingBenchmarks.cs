using System.Buffers;
using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Messages;

namespace SecureChat.Benchmarks.Protocol;

/// <summary><see cref="FrameReader.TryReadFrame"/> on a whole <c>msg</c> frame of a 100-byte text (about 650 bytes),
/// in one segment and split across three (the length prefix itself cut in two).</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _threeSegments;

    [GlobalSetup]
    public void Setup()
    {
        var frame = MessageCodec.EncodeFrame(SampleMessages.Msg(textBytes: 100));
        _single = new ReadOnlySequence<byte>(frame);
        _threeSegments = SegmentedBuffer.Split(frame, 2, frame.Length / 2);
        if (SingleSegment() != frame.Length || ThreeSegments() != frame.Length)
        {
            throw new InvalidOperationException("The frame was not read whole.");
        }
    }

    [Benchmark(Baseline = true)]
    public long SingleSegment()
    {
        var buffer = _single;
        return FrameReader.TryReadFrame(ref buffer, out var frame) ? frame.Length : -1;
    }

    [Benchmark]
    public long ThreeSegments()
    {
        var buffer = _threeSegments;
        return FrameReader.TryReadFrame(ref buffer, out var frame) ? frame.Length : -1;
    }
}
