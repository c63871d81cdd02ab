using System.Buffers;
using CsCheck;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests.Fuzz;

/// <summary>Property tests: random and mutated input reaches the decoders and the server state machine, and the
/// only failure ever seen is a typed <see cref="ProtocolException"/> — no other exception, no crash, no hang.</summary>
public sealed class RandomInputTests
{
    private static readonly Lazy<IReadOnlyList<byte[]>> RecordedFrames = new(Record);

    /// <summary>Every frame of a real session (handshake, messages, receipts), used as seeds for mutation.</summary>
    private static IReadOnlyList<byte[]> Record()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Deliver(toServer: true, pair.Client.SendText("seed message with some text"));
        pair.Deliver(toServer: false, pair.Server.SendText("reply"));
        pair.Deliver(toServer: true, pair.Client.EndSession());
        return [.. pair.Wire.Select(w => w.Frame)];
    }

    /// <summary>Random bytes, or a recorded frame with bit flips, byte changes, truncation or insertion.</summary>
    private static Gen<byte[]> Inputs => Gen.Frequency(
        (1, Gen.Byte.Array[0, 300]),
        (4, Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte, (seed, kind, position, value) =>
        {
            var frames = RecordedFrames.Value;
            var frame = (byte[])frames[seed % frames.Count].Clone();
            var at = position % frame.Length;
            switch (kind)
            {
                case 0:
                    frame[at] ^= (byte)(1 << (value % 8));
                    return frame;
                case 1:
                    frame[at] = value;
                    return frame;
                case 2:
                    return frame[..at];
                default:
                    return [.. frame[..at], value, .. frame[at..]];
            }
        })));

    private static void OnlyTypedErrors(Action action)
    {
        try
        {
            action();
        }
        catch (ProtocolException)
        {
            // The one acceptable failure: a typed protocol error with a code.
        }
    }

    [Fact]
    public void Framer_survives_100000_inputs_in_any_segmentation() =>
        Gen.Select(Inputs, Gen.Int[1, 7]).Sample((input, segment) => OnlyTypedErrors(() =>
        {
            var buffer = SegmentedSequence.Chunked(input.Length == 0 ? [0] : input, segment);
            while (FrameReader.TryReadFrame(ref buffer, out var frame))
            {
                Assert.True(frame.Length > FrameReader.PrefixLength);
            }
        }), iter: 100_000, threads: 1);

    [Fact]
    public void Message_decoder_survives_100000_inputs() =>
        Inputs.Sample(input => OnlyTypedErrors(() =>
        {
            var body = input.Length > FrameReader.PrefixLength ? input.AsSpan(FrameReader.PrefixLength) : input;
            Assert.NotNull(MessageCodec.Decode(body));
        }), iter: 100_000, threads: 1);

    [Fact]
    public void Plaintext_decoders_survive_50000_inputs() =>
        Inputs.Sample(input =>
        {
            OnlyTypedErrors(() => MessageCodec.DecodeAuthRequest(input));
            OnlyTypedErrors(() => MessageCodec.DecodeAuthResponse(input));
            OnlyTypedErrors(() => MessageCodec.DecodeChat(input));
        }, iter: 50_000, threads: 1);

    [Fact]
    public void Server_state_machine_survives_20000_inputs_at_the_hello() =>
        Inputs.Sample(input =>
        {
            using var identity = new LocalIdentity(TestCertificates.Server);
            using var server = new ServerProtocol(identity, TestCertificates.ValidatorFor(SecureChat.Pki.ExpectedPeer.Client), new ProtocolSettings());
            OnlyTypedErrors(() => server.Receive(input));
        }, iter: 20_000, threads: 1);

    [Fact]
    public void Established_session_survives_20000_mutated_frames_and_still_works()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var chat = pair.Server.Chat!;
        var seeds = Enumerable.Range(0, 4).Select(i => pair.Client.SendText($"message {i}").Frames[0]).ToArray();
        var accepted = 0;
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte).Sample((which, position, value) =>
        {
            var frame = (byte[])seeds[which].Clone();
            frame[position % frame.Length] ^= (byte)(1 | value);
            OnlyTypedErrors(() =>
            {
                if (MessageCodec.DecodeFrame(frame) is ChatMessage message)
                {
                    chat.Open(message);
                    accepted++;
                }
            });
        }, iter: 20_000, threads: 1);

        // No mutated frame was ever accepted, and the untouched first message still opens.
        Assert.Equal(0, accepted);
        Assert.Equal("message 0", chat.Open((ChatMessage)MessageCodec.DecodeFrame(seeds[0])).Content.Text);
    }
}
