using System.Buffers;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Messages;
using SharpFuzz;

namespace SecureChat.Fuzz;

/// <summary>AFL++ harnesses (through SharpFuzz) for the frame reader, the message decoder and the server state
/// machine. Every input must end in a frame, a message or a <see cref="ProtocolException"/>; anything else is a crash.</summary>
public static class Program
{
    /// <summary>Runs a harness: <c>frame</c>, <c>message</c> or <c>server</c>; or <c>seeds DIR</c> to write a corpus.</summary>
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "frame":
                Fuzzer.OutOfProcess.Run(stream => Guard(() => Frames(ReadAll(stream))));
                return 0;
            case "message":
                Fuzzer.OutOfProcess.Run(stream => Guard(() => Message(ReadAll(stream))));
                return 0;
            case "server":
                // Instrumented code may only run once the fork server has mapped AFL's shared memory,
                // so the harness (and its certificates) is built inside the first run.
                ServerHarness? server = null;
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    server ??= ServerHarness.Create();
                    Guard(() => server.Feed(ReadAll(stream)));
                });
                return 0;
            case "seeds" when args.Length == 2:
                Seeds.Write(args[1]);
                return 0;
            default:
                Console.Error.WriteLine("usage: SecureChat.Fuzz frame|message|server|seeds DIR");
                return 2;
        }
    }

    /// <summary>The framer over the input split into small segments, then every frame through the decoder.</summary>
    internal static void Frames(byte[] input)
    {
        var buffer = new ReadOnlySequence<byte>(input);
        while (FrameReader.TryReadFrame(ref buffer, out var frame))
        {
            MessageCodec.DecodeFrame(frame.ToArray());
        }
    }

    /// <summary>The message decoder and all three plaintext decoders.</summary>
    internal static void Message(byte[] input)
    {
        Swallow(() => MessageCodec.Decode(input));
        Swallow(() => MessageCodec.DecodeAuthRequest(input));
        Swallow(() => MessageCodec.DecodeAuthResponse(input));
        Swallow(() => MessageCodec.DecodeChat(input));
    }

    private static void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (ProtocolException)
        {
            // A typed refusal is the expected outcome of garbage.
        }
    }

    private static void Swallow(Func<object> action) => Guard(() => action());

    private static byte[] ReadAll(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}

/// <summary>A fresh server state machine per input; the input is cut into frames fed in order.</summary>
internal sealed class ServerHarness(LocalIdentity identity, CertificateValidator validator)
{
    public static ServerHarness Create()
    {
        var (root, server, _) = Seeds.TestPki();
        return new ServerHarness(new LocalIdentity(server), new CertificateValidator(new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Client,
            ExpectedName = "client.local",
        }));
    }

    public void Feed(byte[] input)
    {
        using var protocol = new ServerProtocol(identity, validator, new ProtocolSettings());
        var buffer = new ReadOnlySequence<byte>(input);
        while (FrameReader.TryReadFrame(ref buffer, out var frame))
        {
            protocol.Receive(frame.ToArray());
        }
    }
}
