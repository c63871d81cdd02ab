using System.Text;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Server.Rooms;

/// <summary>The stored form of a relayed copy: its plaintext members without the copy's own randomness, so that a
/// later copy (delayed, history) carries exactly the same author evidence.</summary>
internal static class StoredCopies
{
    /// <summary>Encodes a copy for the store.</summary>
    public static string Encode(OutgoingChat copy) => Encoding.UTF8.GetString(MessageCodec.Encode(new ChatPlaintext
    {
        Text = copy.Text,
        R = "",
        From = copy.From,
        Kind = copy.Kind,
        Ts = copy.OriginalTs,
        To = copy.To,
        Origin = copy.Origin,
    }));

    /// <summary>A copy of a stored message with <paramref name="mark"/> (null: a live copy); null when the stored form does not decode.</summary>
    public static OutgoingChat? Decode(string body, string? mark)
    {
        try
        {
            var p = MessageCodec.DecodeChat(Encoding.UTF8.GetBytes(body));
            return p.Origin is null ? null : new OutgoingChat(p.Text, p.From, p.Kind, p.Ts, To: p.To, Origin: p.Origin, Mark: mark);
        }
        catch (ProtocolException)
        {
            return null;
        }
    }
}
