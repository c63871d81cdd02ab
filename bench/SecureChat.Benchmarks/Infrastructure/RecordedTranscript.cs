using SecureChat.Evidence;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Benchmarks.Infrastructure;

/// <summary>The client's transcript file of one honest conversation, written as a host writes it (protocol §4.8):
/// the header when the session is established, then one line per message and receipt, plaintext kept.</summary>
internal static class RecordedTranscript
{
    /// <summary>Runs a handshake, <paramref name="messages"/> messages in an irregular interleaving of the two
    /// directions, and the receipt exchange; returns the client's lines without their newlines.</summary>
    public static List<ReadOnlyMemory<byte>> Record(SessionParties parties, int messages, int textBytes)
    {
        ArgumentNullException.ThrowIfNull(parties);
        var lines = new List<ReadOnlyMemory<byte>>(messages + 3);
        using var pair = parties.NewPair();
        pair.Observer = (byClient, output) =>
        {
            if (byClient)
            {
                lines.AddRange(output.Events.Select(e => Line(e, pair.Client, parties)).OfType<byte[]>().Select(b => (ReadOnlyMemory<byte>)b));
            }
        };

        pair.Handshake();
        var text = Texts.Of(textBytes);
        for (var i = 0; i < messages; i++)
        {
            // Runs of one direction of varying length, as in a real conversation.
            pair.Say(fromClient: i % 7 is not (2 or 3 or 5), text);
        }

        pair.End(fromClient: true);
        return lines;
    }

    private static byte[]? Line(ProtocolEvent e, ClientProtocol client, SessionParties parties)
    {
        TranscriptRecord? record = e switch
        {
            SessionEstablished established => new TranscriptHeader
            {
                Version = 1,
                Side = "client",
                SessionId = WireBytes.ToHex(established.SessionId),
                ClientCert = parties.ClientIdentity.Pem,
                ServerCert = parties.ServerIdentity.Pem,
                Username = "alice",
                StartedMs = parties.Settings.NowMs,
                Handshake = [.. client.Handshake.Frames.Select(Convert.ToBase64String)],
            },
            MessageSent sent => TranscriptJson.ToLine(sent.Direction, sent.Message, sent.Plaintext),
            MessageReceived received => TranscriptJson.ToLine(received.Direction, received.Message, received.Plaintext),
            ReceiptSent sent => TranscriptJson.ToLine(sent.Receipt),
            ReceiptReceived received => TranscriptJson.ToLine(received.Receipt),
            _ => null,
        };
        return record is null ? null : TranscriptJson.Serialize(record);
    }
}
