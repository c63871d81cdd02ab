using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Crypto;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>Receiving one chat message with the keys of a real handshake: order and clock checks, RSA-PSS
/// verification, AES-128-GCM, the commitment, the JSON plaintext and the transcript chain
/// (<see cref="ChatSession.Open"/>), and the same through the endpoint, which also decodes the frame.</summary>
/// <remarks>A message opens only once, in seqno order, so each iteration gets a fresh session and a batch of
/// messages sealed for it beforehand (outside the measurement); results are per message. The baseline checks
/// the same messages' RSA-PSS signatures alone, with the same key.</remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class ChatOpenBenchmarks
{
    private const int Batch = 128;
    private const int JitWarmupBatches = 3;

    private readonly ChatMessage[] _messages = new ChatMessage[Batch];
    private readonly byte[][] _frames = new byte[Batch][];
    private readonly byte[][] _signedContents = new byte[Batch][];
    private readonly byte[][] _signatures = new byte[Batch][];
    private SessionParties _parties = null!;
    private VerificationKey _serverKey = null!;
    private SessionPair? _pair;
    private string _text = null!;

    [Params(100, 16 * 1024)]
    public int TextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parties = new SessionParties();
        _serverKey = VerificationKey.FromCertificate(_parties.ServerIdentity.Certificate)!;
        _text = Texts.Of(TextBytes);

        // Each measured call is one of few; warm the whole receive path up to tier-1 code first.
        for (var i = 0; i < JitWarmupBatches; i++)
        {
            SealBatch();
            SignatureFloor();
            Open();
            SealBatch();
            ReceiveFrame();
        }
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
            var message = _messages[i];
            _signedContents[i] = MessageEnvelope.SignedContent(
                MessageEnvelope.Meta(_pair.Client.Chat!.SessionId, Direction.ServerToClient, message.Seqno, message.Ts),
                Convert.FromBase64String(message.Ct),
                Convert.FromBase64String(message.Commit));
            _signatures[i] = Convert.FromBase64String(message.Sig);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair?.Dispose();
        _serverKey.Dispose();
        _parties.Dispose();
    }

    /// <summary>The RSA-PSS verification alone (hashing of the signed content included).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int SignatureFloor()
    {
        var valid = 0;
        for (var i = 0; i < Batch; i++)
        {
            valid += _serverKey.Verify(Labels.Msg, _signedContents[i], _signatures[i]) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
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
