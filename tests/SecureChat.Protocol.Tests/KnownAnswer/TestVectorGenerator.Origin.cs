using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SecureChat.Crypto;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>The <c>origin</c> group of docs/test-vectors.json (protocol §9.6).</summary>
internal static partial class TestVectorGenerator
{
    private const string AuthorCertStandIn = "stand-in for the author certificate DER";

    private static JsonObject OriginVectors(SessionKeys keys)
    {
        var authorPlaintext = MessageCodec.Encode(new ChatPlaintext { Text = "Hello, #lobby!", R = B64(R1), To = AuthorOrigin.DefaultRoom });
        var envelope = Seal(keys, Direction.ClientToServer, 4, Ts1, authorPlaintext);
        var sig = SignatureStandIn(Direction.ClientToServer, 4);
        var message = new ChatMessage
        {
            Seqno = 4,
            Ts = Ts1,
            Ct = Convert.ToBase64String(envelope.Ct),
            Commit = Convert.ToBase64String(envelope.Commit),
            Sig = Convert.ToBase64String(sig),
        };
        var received = new MessageReceived(Direction.ClientToServer, message, authorPlaintext, MessageCodec.DecodeChat(authorPlaintext));
        var cert = Encoding.ASCII.GetBytes(AuthorCertStandIn);
        var copy = AuthorOrigin.PlanRelay(keys.SessionId, cert, received, "alice").Copy!;
        var relayed = MessageCodec.Encode(new ChatPlaintext
        {
            Text = copy.Text,
            R = B64(R2),
            From = copy.From,
            Kind = copy.Kind,
            Ts = copy.OriginalTs,
            To = copy.To,
            Origin = copy.Origin,
        });
        return new JsonObject
        {
            ["description"] = "Author-signed relay (AuthorOrigin, PROTOCOL 9.6). The author sends message 4 of its session "
                + "(session_id and k_chat_c2s of key_schedule) addressed to #lobby; the relayed copy's plaintext carries it "
                + "as origin, with a fixed r, from = alice and stand-in bytes for the author's signature and certificate "
                + "DER. The recipient checks sig over author_signed_content (context securechat/1 msg, dir c2s) with the "
                + "certificate key, and commit = SHA-256(\"securechat/1 commit\" || 0x00 || author_plaintext).",
            ["default_room_utf8"] = AuthorOrigin.DefaultRoom,
            ["max_relayable_plaintext"] = AuthorOrigin.MaxRelayablePlaintextBytes,
            ["max_origin_cert"] = AuthorOrigin.MaxCertificateBytes,
            ["author_session_id"] = Hex(keys.SessionId),
            ["author_seqno"] = 4,
            ["author_ts"] = Ts1,
            ["author_r"] = R1,
            ["author_plaintext_utf8"] = Encoding.UTF8.GetString(authorPlaintext),
            ["author_plaintext"] = Hex(authorPlaintext),
            ["author_meta"] = Hex(envelope.Meta),
            ["author_ct"] = Hex(envelope.Ct),
            ["author_commit"] = Hex(envelope.Commit),
            ["author_signed_content"] = Hex(envelope.SignedContent),
            ["author_signature_input"] = Hex(SignatureInput.Build(Labels.Msg, envelope.SignedContent)),
            ["author_sig_stand_in"] = Hex(sig),
            ["author_cert_stand_in_utf8"] = AuthorCertStandIn,
            ["author_cert_sha256"] = Hex(SHA256.HashData(cert)),
            ["relayed_r"] = R2,
            ["relayed_plaintext_utf8"] = Encoding.UTF8.GetString(relayed),
            ["relayed_plaintext"] = Hex(relayed),
        };
    }

    private static string B64(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));
}
