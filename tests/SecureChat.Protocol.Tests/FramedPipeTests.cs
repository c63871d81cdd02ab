using System.IO.Pipelines;
using SecureChat.Protocol.Transport;

namespace SecureChat.Protocol.Tests;

/// <summary>Batched reads: every whole frame already received comes at once, a bad frame behind good ones is
/// reported only after them, and a partial frame waits for its bytes.</summary>
public sealed class FramedPipeTests
{
    [Fact]
    public async Task FramesAlreadyReceivedArriveInOneBatchInOrder()
    {
        var (framed, peer) = Connected();
        await peer.WriteAsync(Concat(Frame(1), Frame(2), Frame(3)));

        var frames = await framed.ReadFramesAsync(64);

        Assert.Equal([1, 2, 3], frames.Select(f => (int)f[^1]));
    }

    [Fact]
    public async Task ABatchNeverExceedsItsLimit()
    {
        var (framed, peer) = Connected();
        await peer.WriteAsync(Concat(Frame(1), Frame(2), Frame(3)));

        Assert.Equal(2, (await framed.ReadFramesAsync(2)).Count);
        Assert.Equal([3], (await framed.ReadFramesAsync(2)).Select(f => (int)f[^1]));
    }

    [Fact]
    public async Task AnOversizedFrameBehindGoodOnesFailsOnlyAfterThem()
    {
        var (framed, peer) = Connected();
        var oversized = new byte[] { 0, 1, 0, 1 };
        await peer.WriteAsync(Concat(Frame(1), Frame(2), oversized));

        Assert.Equal(2, (await framed.ReadFramesAsync(64)).Count);
        var error = await Assert.ThrowsAsync<ProtocolException>(async () => await framed.ReadFramesAsync(64));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, error.Code);
    }

    [Fact]
    public async Task APartialFrameWaitsForTheRestOfItsBytes()
    {
        var (framed, peer) = Connected();
        var second = Frame(2);
        await peer.WriteAsync(Concat(Frame(1), second[..3]));

        Assert.Single(await framed.ReadFramesAsync(64));
        var pending = framed.ReadFramesAsync(64).AsTask();
        Assert.False(pending.IsCompleted);

        await peer.WriteAsync(second[3..]);
        Assert.Equal([2], (await pending).Select(f => (int)f[^1]));
    }

    [Fact]
    public async Task ACleanCloseBetweenFramesGivesAnEmptyBatch()
    {
        var (framed, peer) = Connected();
        await peer.WriteAsync(Frame(1));
        await peer.CompleteAsync();

        Assert.Single(await framed.ReadFramesAsync(64));
        Assert.Empty(await framed.ReadFramesAsync(64));
    }

    private static (FramedPipe Framed, PipeWriter Peer) Connected()
    {
        var incoming = new Pipe();
        var outgoing = new Pipe();
        return (new FramedPipe(new DuplexPipe(incoming.Reader, outgoing.Writer)), incoming.Writer);
    }

    /// <summary>A frame whose body is 8 bytes ending in <paramref name="tag"/>.</summary>
    private static byte[] Frame(byte tag) => [0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, tag];

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
