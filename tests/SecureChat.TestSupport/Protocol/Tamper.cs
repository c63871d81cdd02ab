using SecureChat.Protocol.Messages;

namespace SecureChat.TestSupport;

/// <summary>Helpers for a test playing the network attacker.</summary>
public static class Tamper
{
    public static WireMessage Decode(byte[] frame) => MessageCodec.DecodeFrame(frame);

    public static byte[] Encode(WireMessage message) => MessageCodec.EncodeFrame(message);

    /// <summary>Flips bit <paramref name="bit"/> of the bytes behind a base64 field.</summary>
    public static string FlipBase64(string base64, int bit = 0)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[bit / 8 % bytes.Length] ^= (byte)(1 << (bit % 8));
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Rewrites frames of type <typeparamref name="T"/> travelling in one direction.</summary>
    public static Func<bool, byte[], IEnumerable<byte[]>> Rewrite<T>(bool toServer, Func<T, WireMessage> change, Func<T, bool>? when = null)
        where T : WireMessage =>
        (direction, frame) =>
        {
            if (direction == toServer && Decode(frame) is T message && (when?.Invoke(message) ?? true))
            {
                return [Encode(change(message))];
            }

            return [frame];
        };
}
