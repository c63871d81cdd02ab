using System.Net.Sockets;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>The sending half of an evil peer's socket: every honest frame passes through the plan on its way out,
/// and everything that really goes out or comes in is recorded in the context.</summary>
internal sealed class DeviantWire(Socket socket, FramedPipe pipe, EvilPlan plan, DeviationContext context)
{
    private readonly Dictionary<string, int> _produced = [];
    private readonly List<byte[]> _held = [];

    /// <summary>True once a <see cref="Deviation.Stall"/> was applied: nothing is sent any more.</summary>
    public bool Stalled { get; private set; }

    /// <summary>True once the connection was reset on purpose.</summary>
    public bool Reset { get; private set; }

    /// <summary>Sends honest frames, each changed as the plan says.</summary>
    public async Task SendAsync(IEnumerable<byte[]> honestFrames, CancellationToken cancellationToken)
    {
        foreach (var frame in honestFrames)
        {
            if (Stalled || Reset)
            {
                return;
            }

            var type = WireTypes.Of(MessageCodec.DecodeFrame(frame));
            var occurrence = _produced[type] = _produced.GetValueOrDefault(type) + 1;
            switch (plan.For(type, occurrence))
            {
                case null:
                    await SendRawAsync([frame, .. TakeHeld()], cancellationToken);
                    break;
                case Deviation.Held:
                    _held.Add(frame);
                    break;
                case Deviation.Stalled:
                    Stalled = true;
                    break;
                case Deviation.Closed:
                    ResetConnection();
                    break;
                case Deviation.Truncated truncated:
                    await SendRawAsync(truncated.Apply(frame, context), cancellationToken);
                    socket.Shutdown(SocketShutdown.Send);
                    Stalled = true;
                    break;
                case var deviation:
                    await SendRawAsync([.. deviation.Apply(frame, context), .. TakeHeld()], cancellationToken);
                    break;
            }
        }
    }

    /// <summary>Puts bytes on the wire exactly as given, bypassing the plan.</summary>
    public async Task SendRawAsync(IReadOnlyList<byte[]> frames, CancellationToken cancellationToken)
    {
        if (frames.Count == 0)
        {
            return;
        }

        foreach (var frame in frames)
        {
            context.Record(sent: true, frame);
        }

        await pipe.WriteAsync(frames, cancellationToken);
    }

    /// <summary>Closes with a TCP reset, as a crashing or hostile peer would.</summary>
    public void ResetConnection()
    {
        Reset = true;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private List<byte[]> TakeHeld()
    {
        var held = _held.ToList();
        _held.Clear();
        return held;
    }
}
