using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>Receiving one chat message with the keys of a real handshake: order and clock checks, RSA-PSS
/// verification, AES-128-GCM, the commitment, the JSON plaintext and the transcript chain
/// (<see cref="ChatSession.Open"/>), and the same through the endpoint, which also decodes the frame.</summary>
/// <remarks>A message opens only once, in seqno order, so each iteration gets a fresh session and a batch of
/// messages sealed for it beforehand (outside the measurement); results are per message.</remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class ChatOpenBenchmarks
{
    private const int Batch = 128;

    private readonly ChatMessage[] _messages = new ChatMessage[Batch];
    private readonly byte[][] _frames = new byte[Batch][];
    private SessionParties _parties = null!;
    private SessionPair? _pair;
    private string _text = null!;

    [Params(100, 16 * 1024)]
    public int TextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parties = new SessionParties();
        _text = Texts.Of(TextBytes);
    }

    [IterationSetup]
    public void SealBatch()
    {
        _pair?.Dispose();
        _pair = _parties.NewPair().Handshake();
        for (var i = 0; i < Batch; i++)
        {
            var output = _pair.Server.SendText(_text);
            _messages[i] = output.Events.OfType<MessageSent>().Single().Message;
            _frames[i] = output.Frames[0];
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair?.Dispose();
        _parties.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long Open()
    {
        var chat = _pair!.Client.Chat!;
        foreach (var message in _messages)
        {
            chat.Open(message);
        }

        return chat.LastReceived;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long ReceiveFrame()
    {
        var client = _pair!.Client;
        foreach (var frame in _frames)
        {
            client.Receive(frame);
        }

        return client.Chat!.LastReceived;
    }
}
