using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>Sending one chat message with the keys of a real handshake: JSON plaintext, AES-128-GCM, commitment,
/// RSA-PSS signature, the frame-size check and the transcript chain (<see cref="ChatSession.Seal"/>), and the same
/// through the endpoint, which also encodes the frame.</summary>
/// <remarks>The baseline is the one RSA-PSS signature over the same signed content with the same key, so the
/// ratio is the message's cost over its signature whatever the machine's load.</remarks>
[MemoryDiagnoser]
public class ChatSealBenchmarks
{
    private SessionParties _parties = null!;
    private SessionPair _pair = null!;
    private ChatSession _chat = null!;
    private OutgoingChat _content = null!;
    private byte[] _signedContent = null!;

    [Params(100, 16 * 1024)]
    public int TextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _parties = new SessionParties();
        _pair = _parties.NewPair().Handshake();
        _chat = _pair.Client.Chat!;

        // The protocol draws a fresh r for every message (one 16-byte RNG read), as in production.
        _content = new OutgoingChat(Texts.Of(TextBytes));
        var sample = Seal().Message;
        _signedContent = MessageEnvelope.SignedContent(
            MessageEnvelope.Meta(_chat.SessionId, Direction.ClientToServer, sample.Seqno, sample.Ts),
            Convert.FromBase64String(sample.Ct),
            Convert.FromBase64String(sample.Commit));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.Dispose();
        _parties.Dispose();
    }

    /// <summary>The RSA-PSS signature alone (hashing of the signed content included).</summary>
    [Benchmark(Baseline = true)]
    public byte[] SignatureFloor() => _parties.ClientIdentity.SigningKey.Sign(Labels.Msg, _signedContent);

    [Benchmark]
    public MessageSent Seal() => _chat.Seal(_content).Sent!;

    [Benchmark]
    public int SendFrame() => _pair.Client.Send(_content).Frames[0].Length;
}
