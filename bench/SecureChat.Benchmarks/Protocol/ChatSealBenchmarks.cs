using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>Sending one chat message with the keys of a real handshake: JSON plaintext, AES-128-GCM, commitment,
/// RSA-PSS signature, the frame-size check and the transcript chain (<see cref="ChatSession.Seal"/>), and the same
/// through the endpoint, which also encodes the frame.</summary>
[MemoryDiagnoser]
public class ChatSealBenchmarks
{
    private SessionParties _parties = null!;
    private SessionPair _pair = null!;
    private ChatSession _chat = null!;
    private ChatPlaintext _content = null!;

    [Params(100, 16 * 1024)]
    public int TextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parties = new SessionParties();
        _pair = _parties.NewPair().Handshake();
        _chat = _pair.Client.Chat!;

        // One plaintext reused: r is fresh per message in production, which costs one 16-byte RNG read.
        _content = _chat.NewPlaintext(Texts.Of(TextBytes));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.Dispose();
        _parties.Dispose();
    }

    [Benchmark(Baseline = true)]
    public MessageSent Seal() => _chat.Seal(_content);

    [Benchmark]
    public int SendFrame() => _pair.Client.Send(_content).Frames[0].Length;
}
