using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Messages;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>What an evil peer does with one frame it was about to send honestly. Most deviations turn the frame
/// into zero or more frames; <see cref="Stall"/>, <see cref="CloseAbruptly"/> and <see cref="HoldForNext"/> change
/// what the connection does next instead.</summary>
/// <remarks>Deviations see the honest frame and a <see cref="DeviationContext"/>, so a deviation that needs a
/// valid signature (a signed but invalid DH value, a lying receipt) signs with the peer's real key over what the
/// other side has actually seen.</remarks>
public abstract record Deviation
{
    /// <summary>Sends nothing in place of the frame.</summary>
    public static Deviation Drop { get; } = new Rewritten("drop", (_, _) => []);

    /// <summary>Sends the frame twice.</summary>
    public static Deviation Duplicate { get; } = new Rewritten("duplicate", (frame, _) => [frame, frame]);

    /// <summary>Keeps the frame back and sends it right after the next one (a swap of two frames).</summary>
    public static Deviation HoldForNext { get; } = new Held();

    /// <summary>Sends nothing more from here on but keeps the connection open and keeps reading.</summary>
    public static Deviation Stall { get; } = new Stalled();

    /// <summary>Resets the connection instead of sending the frame.</summary>
    public static Deviation CloseAbruptly { get; } = new Closed();

    /// <summary>Sends only the first <paramref name="keep"/> bytes of the frame, then closes the sending direction:
    /// the other side sees the connection end in the middle of a frame.</summary>
    public static Deviation Truncate(int keep) => new Truncated(keep);

    /// <summary>Short name for test output.</summary>
    public abstract string Name { get; }

    /// <summary>Sends <paramref name="bytes"/> (any bytes: a truncated frame, a lying length prefix, garbage) instead.</summary>
    public static Deviation Replace(string name, byte[] bytes) => new Rewritten(name, (_, _) => [bytes]);

    /// <summary>Sends a frame made from the context instead (for example a frame recorded from an earlier session).</summary>
    public static Deviation Replace(string name, Func<DeviationContext, byte[]> make) => new Rewritten(name, (_, context) => [make(context)]);

    /// <summary>Sends, instead, the <paramref name="occurrence"/>-th frame of <paramref name="type"/> this peer sent
    /// earlier on this connection, byte for byte (a replay).</summary>
    public static Deviation ReplayEarlier(string type, int occurrence = 1) =>
        new Rewritten($"replay {type} #{occurrence}", (_, context) => [context.SentEarlier(type, occurrence)]);

    /// <summary>Sends the frame, then the frame <paramref name="extra"/> makes.</summary>
    public static Deviation Append(string name, Func<DeviationContext, byte[]> extra) => new Rewritten(name, (frame, context) => [frame, extra(context)]);

    /// <summary>Decodes the frame, changes the message and sends it re-encoded; the change may sign with the context.</summary>
    public static Deviation Rewrite<T>(string name, Func<T, DeviationContext, WireMessage> change)
        where T : WireMessage =>
        new Rewritten(name, (frame, context) => [MessageCodec.EncodeFrame(change((T)MessageCodec.DecodeFrame(frame), context))]);

    /// <summary>Edits the JSON text of the body (wrong types, duplicate members, unknown types) and sends it with a
    /// correct length prefix.</summary>
    public static Deviation EditJson(string name, Func<string, string> edit) =>
        new Rewritten(name, (frame, _) => [FrameWriter.Frame(Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(FrameReader.Body(frame)))))]);

    /// <summary>Flips bit <paramref name="bit"/> of one member: of the bytes behind a base64 string (ct, commit,
    /// sig, A, B, nonce), of the UTF-8 bytes of any other string, or of an integer (seqno, ts, counts).</summary>
    public static Deviation FlipBit(string member, int bit = 0) => new Rewritten($"flip bit {bit} of {member}", (frame, _) =>
    {
        var json = JsonNode.Parse(FrameReader.Body(frame))!.AsObject();
        json[member] = json[member]!.GetValueKind() == JsonValueKind.Number
            ? JsonValue.Create(json[member]!.GetValue<long>() ^ (1L << bit))
            : JsonValue.Create(FlipInString(json[member]!.GetValue<string>(), bit));
        return [FrameWriter.Frame(Encoding.UTF8.GetBytes(json.ToJsonString(CompactJson)))];
    });

    /// <summary>Turns the honest frame into what goes on the wire.</summary>
    internal abstract IReadOnlyList<byte[]> Apply(byte[] frame, DeviationContext context);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string FlipInString(string text, int bit)
    {
        if (WireBytes.TryFromCanonicalBase64(text, out var bytes) && bytes.Length > 0)
        {
            bytes[bit / 8 % bytes.Length] ^= (byte)(1 << (bit % 8));
            return Convert.ToBase64String(bytes);
        }

        var utf8 = Encoding.UTF8.GetBytes(text);
        utf8[bit / 8 % utf8.Length] ^= (byte)(1 << (bit % 8));
        return Encoding.UTF8.GetString(utf8);
    }

    private sealed record Rewritten(string Label, Func<byte[], DeviationContext, IReadOnlyList<byte[]>> Change) : Deviation
    {
        public override string Name => Label;

        internal override IReadOnlyList<byte[]> Apply(byte[] frame, DeviationContext context) => Change(frame, context);
    }

    /// <summary>Marker: the wire keeps the frame and sends it after the next one.</summary>
    internal sealed record Held : Deviation
    {
        public override string Name => "hold for the next frame";

        internal override IReadOnlyList<byte[]> Apply(byte[] frame, DeviationContext context) => [];
    }

    /// <summary>Marker: the wire sends nothing more.</summary>
    internal sealed record Stalled : Deviation
    {
        public override string Name => "stall";

        internal override IReadOnlyList<byte[]> Apply(byte[] frame, DeviationContext context) => [];
    }

    /// <summary>Marker: the wire sends a prefix of the frame and closes its sending direction.</summary>
    internal sealed record Truncated(int Keep) : Deviation
    {
        public override string Name => $"truncate to {Keep} bytes and close";

        internal override IReadOnlyList<byte[]> Apply(byte[] frame, DeviationContext context) => [frame[..Math.Min(Keep, frame.Length)]];
    }

    /// <summary>Marker: the wire resets the connection.</summary>
    internal sealed record Closed : Deviation
    {
        public override string Name => "close abruptly";

        internal override IReadOnlyList<byte[]> Apply(byte[] frame, DeviationContext context) => [];
    }
}
