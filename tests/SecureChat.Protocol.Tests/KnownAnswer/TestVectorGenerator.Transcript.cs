using System.Text;
using System.Text.Json.Nodes;
using SecureChat.Crypto;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>The transcript group: canonical chains and receipts over a short recorded session.</summary>
internal static partial class TestVectorGenerator
{
    private static JsonObject TranscriptVectors(SessionKeys keys, out ChatMessage firstMessage)
    {
        var plaintexts = new[]
        {
            (Direction.ClientToServer, 1L, Ts1, FirstPlaintext()),
            (Direction.ServerToClient, 1L, Ts2, MessageCodec.Encode(new ChatPlaintext
            {
                Text = "Hi Alice",
                R = Convert.ToBase64String(Convert.FromHexString(R2)),
                From = "bob",
                Kind = ChatPlaintext.ChatKind,
                Ts = RelayedOriginalTs,
            })),
            (Direction.ClientToServer, 2L, Ts3, MessageCodec.Encode(new ChatPlaintext
            {
                Text = "Bye for now",
                R = Convert.ToBase64String(Convert.FromHexString(R3)),
            })),
        };

        var chain = new MessageChains(keys.SessionId);
        var messages = new JsonArray();
        var sent = new List<ChatMessage>();
        foreach (var (direction, seqno, ts, plaintext) in plaintexts)
        {
            var envelope = Seal(keys, direction, seqno, ts, plaintext);
            var sig = SignatureStandIn(direction, seqno);
            var message = new ChatMessage
            {
                Seqno = seqno,
                Ts = ts,
                Ct = Convert.ToBase64String(envelope.Ct),
                Commit = Convert.ToBase64String(envelope.Commit),
                Sig = Convert.ToBase64String(sig),
            };
            sent.Add(message);
            chain.Append(direction, message);
            messages.Add(new JsonObject
            {
                ["dir"] = direction.ToWire(),
                ["seqno"] = seqno,
                ["ts"] = ts,
                ["key_name"] = direction == Direction.ClientToServer ? "k_chat_c2s" : "k_chat_s2c",
                ["plaintext_utf8"] = Encoding.UTF8.GetString(plaintext),
                ["plaintext"] = Hex(plaintext),
                ["ct_b64"] = message.Ct,
                ["commit_b64"] = message.Commit,
                ["sig_stand_in"] = Hex(sig),
                ["sig_b64"] = message.Sig,
                ["line_utf8"] = MessageChains.Line(direction, message),
                ["chain_after"] = Hex(chain.ChainValue(direction, seqno)),
            });
        }

        firstMessage = sent[0];
        var clientDer = Encoding.ASCII.GetBytes(ClientCertStandIn);
        var serverDer = Encoding.ASCII.GetBytes(ServerCertStandIn);
        var c2s = chain.Count(Direction.ClientToServer);
        var s2c = chain.Count(Direction.ServerToClient);
        var hash = chain.TranscriptHash(c2s, s2c)!;
        return new JsonObject
        {
            ["description"] = "Canonical transcript chains and receipts (MessageChains, Receipts) for the session of "
                + "key_schedule: two c2s messages and one s2c message (the s2c one is relayed, with from, kind and the "
                + "author's original ts in its plaintext). ct and commit are real (k_chat keys of key_schedule); each "
                + "signature is a fixed 256-byte stand-in (sig_stand_in), because RSASSA-PSS is randomized and the chain "
                + "only hashes the base64 text. chain_<dir>_0 = SHA-256(\"securechat/1 transcript <dir>\" || 0x00 || "
                + "session_id); chain_after = SHA-256(previous chain value || line_utf8); transcript_sha256 = "
                + "SHA-256(chain_c2s at c2s_last_seq || chain_s2c at s2c_last_seq). Certificate DER encodings are "
                + "replaced by the ASCII stand-ins client_cert_der and server_cert_der.",
            ["session_id"] = Hex(keys.SessionId),
            ["chain_c2s_0"] = Hex(MessageChains.Seed(Direction.ClientToServer, keys.SessionId)),
            ["chain_s2c_0"] = Hex(MessageChains.Seed(Direction.ServerToClient, keys.SessionId)),
            ["messages"] = messages,
            ["prefixes"] = new JsonArray
            {
                Prefix(chain, 0, 0),
                Prefix(chain, 1, 0),
                Prefix(chain, 1, 1),
                Prefix(chain, c2s, s2c),
            },
            ["client_cert_der"] = Hex(clientDer),
            ["client_cert_der_utf8"] = ClientCertStandIn,
            ["client_cert_sha256"] = Hex(System.Security.Cryptography.SHA256.HashData(clientDer)),
            ["server_cert_der"] = Hex(serverDer),
            ["server_cert_der_utf8"] = ServerCertStandIn,
            ["server_cert_sha256"] = Hex(System.Security.Cryptography.SHA256.HashData(serverDer)),
            ["receipts"] = new JsonArray
            {
                ReceiptCase(Side.Client, keys.SessionId, clientDer, serverDer, c2s, s2c, hash),
                ReceiptCase(Side.Server, keys.SessionId, clientDer, serverDer, c2s, s2c, hash),
            },
        };
    }

    private static JsonObject Prefix(MessageChains chain, long c2s, long s2c) => new()
    {
        ["c2s_last_seq"] = c2s,
        ["s2c_last_seq"] = s2c,
        ["transcript_sha256"] = Hex(chain.TranscriptHash(c2s, s2c)!),
    };

    private static JsonObject ReceiptCase(Side issuer, byte[] sessionId, byte[] clientDer, byte[] serverDer, long c2s, long s2c, byte[] hash)
    {
        var content = Receipts.SignedContent(sessionId, issuer, clientDer, serverDer, c2s, s2c, hash);
        return new JsonObject
        {
            ["peer"] = issuer.ToWire(),
            ["session_id"] = WireBytes.ToHex(sessionId),
            ["c2s_last_seq"] = c2s,
            ["s2c_last_seq"] = s2c,
            ["transcript_sha256"] = WireBytes.ToHex(hash),
            ["signed_content"] = Hex(content),
            ["signature_input"] = Hex(SignatureInput.Build(Labels.Receipt, content)),
        };
    }
}
