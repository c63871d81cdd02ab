using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Agreement;
using SecureChat.Crypto;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>Produces docs/test-vectors.json: fixed inputs run through the project's own protocol code.</summary>
/// <remarks>Nothing here re-implements a construction; every output comes from the production type that
/// builds it on the wire, so the file pins down what this implementation actually does. Run the KnownAnswer
/// tests with <see cref="WriteVariable"/> set to a path to rewrite the file after a deliberate change.</remarks>
internal static partial class TestVectorGenerator
{
    /// <summary>Environment variable naming the file to write; unset, the tests only read.</summary>
    public const string WriteVariable = "SECURECHAT_WRITE_VECTORS";

    // Fixed inputs. Two exponents have their top bit clear on purpose: FromPrivateExponent keeps every bit.
    private const string ClientAuthExponent = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string ServerAuthExponent = "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff";
    private const string ClientChatExponent = "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe";
    private const string ServerChatExponent = "c3ad0d1c4f0e6e2b9a8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928";
    private const string Th1 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    private const string Th2 = "5c2f9e1b7a4d3c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60";
    private const string ThServerHello = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
    private const string ThDhClientAuth = "2f2e2d2c2b2a292827262524232221201f1e1d1c1b1a19181716151413121110";
    private const string ThAuthResponse = "3f3e3d3c3b3a393837363534333231302f2e2d2c2b2a29282726252423222120";
    private const string ThDhClientChat = "4f4e4d4c4b4a494847464544434241403f3e3d3c3b3a39383736353433323130";
    private const string R1 = "000102030405060708090a0b0c0d0e0f";
    private const string R2 = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    private const string R3 = "0123456789abcdeffedcba9876543210";
    private const long Ts1 = 1767225600000;
    private const long Ts2 = 1767225600250;
    private const long Ts3 = 1767225601000;
    private const long RelayedOriginalTs = 1767225600100;
    private const string ClientCertStandIn = "stand-in for the client certificate DER";
    private const string ServerCertStandIn = "stand-in for the server certificate DER";

    private static readonly JsonSerializerOptions FileOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The whole vector file as a JSON tree.</summary>
    public static JsonObject Generate()
    {
        var dh = DhVectors(out var z1, out var z2, out var publicValues);
        var schedule = KeyScheduleVectors(z1, z2, out var keys);
        var auth = AuthVectors(keys, out var firstAuthRequestCt);
        var msg = MsgVectors(keys);
        var dhSignatures = DhSignatureVectors(publicValues);
        var transcript = TranscriptVectors(keys, out var firstMessage);
        return new JsonObject
        {
            ["description"] = "Known-answer values of SecureChat protocol v1 (docs/PROTOCOL.md), produced by this "
                + "implementation's own code from the fixed inputs listed in each group. Byte strings are lowercase hex "
                + "unless the member name ends in _b64 (standard base64 exactly as it appears in a JSON string value) or "
                + "_utf8 (text). Integers are decimal. Regenerate with SECURECHAT_WRITE_VECTORS=<path> and the KnownAnswer "
                + "tests of tests/SecureChat.Protocol.Tests; without it those tests recompute every value and compare.",
            ["version"] = 1,
            ["dh"] = dh,
            ["key_schedule"] = schedule,
            ["auth_encryption"] = auth,
            ["msg"] = msg,
            ["dh_signatures"] = dhSignatures,
            ["transcript"] = transcript,
            ["frames"] = FrameVectors(firstAuthRequestCt, firstMessage),
            ["origin"] = OriginVectors(keys),
            ["conversations"] = ConversationVectors(keys),
        };
    }

    /// <summary>The file text: indented JSON with a final newline.</summary>
    public static string Serialize(JsonObject vectors) => vectors.ToJsonString(FileOptions) + "\n";

    private static JsonObject DhVectors(out byte[] z1, out byte[] z2, out PublicValues publicValues)
    {
        var group = DhGroup.Ffdhe2048;
        var auth = DhPhaseVectors(group, ClientAuthExponent, ServerAuthExponent, "Z1", out z1, out var aAuth, out var bAuth);
        var chat = DhPhaseVectors(group, ClientChatExponent, ServerChatExponent, "Z2", out z2, out var aChat, out var bChat);
        publicValues = new PublicValues(aAuth, bAuth, aChat, bChat);
        return new JsonObject
        {
            ["description"] = "Finite-field DH over RFC 7919 ffdhe2048 (g = 2) with fixed 32-byte private exponents, via "
                + "DhKeyPair.FromPrivateExponent, which uses x_effective = 2^256 + r (the 32 bytes r prefixed with a 0x01 byte) so "
                + "that every exponent has 257 bits and all 256 random bits count. A = g^x_client mod p, B = g^x_server mod p, Z = B^x_client = A^x_server "
                + "mod p; A, B and Z are big-endian and left-padded to the 256-byte modulus length.",
            ["group"] = group.Name,
            ["p"] = Hex(DHStandardGroups.rfc7919_ffdhe2048.P.ToByteArrayUnsigned()),
            ["g"] = 2,
            ["auth"] = auth,
            ["chat"] = chat,
        };
    }

    private static JsonObject DhPhaseVectors(DhGroup group, string clientExponent, string serverExponent, string secretName,
        out byte[] z, out byte[] a, out byte[] b)
    {
        var client = DhKeyPair.FromPrivateExponent(group, Convert.FromHexString(clientExponent));
        var server = DhKeyPair.FromPrivateExponent(group, Convert.FromHexString(serverExponent));
        a = client.PublicValue;
        b = server.PublicValue;
        if (!client.TryComputeSharedSecret(b, out z) || !server.TryComputeSharedSecret(a, out var serverZ) || !z.AsSpan().SequenceEqual(serverZ))
        {
            throw new InvalidOperationException("The fixed DH exponents do not agree.");
        }

        return new JsonObject
        {
            ["client_exponent"] = clientExponent,
            ["client_exponent_effective"] = Hex(EffectiveExponent(clientExponent)),
            ["server_exponent"] = serverExponent,
            ["server_exponent_effective"] = Hex(EffectiveExponent(serverExponent)),
            ["A"] = Hex(a),
            ["B"] = Hex(b),
            [secretName] = Hex(z),
        };
    }

    private static JsonObject KeyScheduleVectors(byte[] z1, byte[] z2, out SessionKeys keys)
    {
        var th1 = Convert.FromHexString(Th1);
        var th2 = Convert.FromHexString(Th2);
        using var authKeys = KeySchedule.DeriveAuthKeys(z1, th1);
        var authSecret = authKeys.AuthSecret.ToArray();
        var derivedInfo = Encoding.ASCII.GetBytes(Labels.Derived);
        var derived = Kdf.Expand(authSecret, derivedInfo, Kdf.HashLength);
        var chatSecret = Kdf.Extract(derived, z2);
        using var chatKeys = KeySchedule.DeriveChatKeys(authSecret, z2, th2);
        keys = new SessionKeys(authKeys.ClientToServer.ToArray(), authKeys.ServerToClient.ToArray(),
            chatKeys.ClientToServer.ToArray(), chatKeys.ServerToClient.ToArray(), chatKeys.SessionId.ToArray());
        return new JsonObject
        {
            ["description"] = "HKDF-SHA256 key schedule (KeySchedule). Z1 and Z2 are the shared secrets of the dh group; "
                + "TH1 and TH2 are fixed 32-byte stand-ins for TH(dh_server auth) and TH(dh_server chat). "
                + "auth_secret = Extract(salt = 32 zero bytes, Z1); k_auth_<dir> = Expand(auth_secret, info_k_auth_<dir>, 16); "
                + "derived = Expand(auth_secret, info_derived, 32); chat_secret = Extract(salt = derived, Z2); "
                + "k_chat_<dir> = Expand(chat_secret, info_k_chat_<dir>, 16); session_id = TH2[0..16).",
            ["Z1"] = Hex(z1),
            ["TH1"] = Th1,
            ["auth_salt"] = Hex(new byte[Kdf.HashLength]),
            ["auth_secret"] = Hex(authSecret),
            ["info_k_auth_c2s"] = Hex(Labels.WithZeroAndSuffix(Labels.KAuthC2S, th1)),
            ["k_auth_c2s"] = Hex(keys.AuthClientToServer),
            ["info_k_auth_s2c"] = Hex(Labels.WithZeroAndSuffix(Labels.KAuthS2C, th1)),
            ["k_auth_s2c"] = Hex(keys.AuthServerToClient),
            ["Z2"] = Hex(z2),
            ["TH2"] = Th2,
            ["info_derived"] = Hex(derivedInfo),
            ["derived"] = Hex(derived),
            ["chat_secret"] = Hex(chatSecret),
            ["info_k_chat_c2s"] = Hex(Labels.WithZeroAndSuffix(Labels.KChatC2S, th2)),
            ["k_chat_c2s"] = Hex(keys.ChatClientToServer),
            ["info_k_chat_s2c"] = Hex(Labels.WithZeroAndSuffix(Labels.KChatS2C, th2)),
            ["k_chat_s2c"] = Hex(keys.ChatServerToClient),
            ["session_id"] = Hex(keys.SessionId),
        };
    }

    private static JsonObject AuthVectors(SessionKeys keys, out byte[] firstRequestCt)
    {
        var register = MessageCodec.Encode(new AuthRequestPlaintext
        {
            Op = AuthRequestPlaintext.Register,
            Email = "alice@example.org",
            Username = "alice",
            Password = "correct horse battery staple",
        });
        var refusal = MessageCodec.Encode(new AuthResponsePlaintext
        {
            Ok = false,
            Code = AuthCodes.UserExists,
            Username = "",
            Message = "that e-mail address or username cannot be registered",
        });
        var login = MessageCodec.Encode(new AuthRequestPlaintext
        {
            Op = AuthRequestPlaintext.Login,
            Email = "alice@example.org",
            Password = "correct horse battery staple",
        });
        var cases = new JsonArray
        {
            AuthCase("first request (register)", Direction.ClientToServer, 1, "k_auth_c2s", keys.AuthClientToServer, register, out firstRequestCt),
            AuthCase("first response (refused)", Direction.ServerToClient, 1, "k_auth_s2c", keys.AuthServerToClient, refusal, out _),
            AuthCase("second request (login, a retry)", Direction.ClientToServer, 2, "k_auth_c2s", keys.AuthClientToServer, login, out _),
        };
        return new JsonObject
        {
            ["description"] = "AES-128-GCM of auth_request/auth_response (AuthCipher) under the keys of key_schedule. "
                + "nonce = u32(0) || u64(n), n counting this direction's auth frames from 1; aad = \"securechat/1 auth\" || "
                + "0x00 || u8(dir), dir 1 = c2s, 2 = s2c; ct = ciphertext || 16-byte tag. The plaintexts are exactly the "
                + "bytes this implementation encodes (MessageCodec).",
            ["cases"] = cases,
        };
    }

    private static JsonObject AuthCase(string name, Direction direction, long n, string keyName, byte[] key, byte[] plaintext, out byte[] ct)
    {
        ct = AuthCipher.Seal(key, direction, n, plaintext);
        return new JsonObject
        {
            ["name"] = name,
            ["dir"] = direction.ToWire(),
            ["n"] = n,
            ["key_name"] = keyName,
            ["key"] = Hex(key),
            ["plaintext_utf8"] = Encoding.UTF8.GetString(plaintext),
            ["plaintext"] = Hex(plaintext),
            ["nonce"] = Hex(AuthCipher.Nonce(n)),
            ["aad"] = Hex(AuthCipher.AssociatedData(direction)),
            ["ct"] = Hex(ct),
            ["ct_b64"] = Convert.ToBase64String(ct),
        };
    }

    private static JsonObject MsgVectors(SessionKeys keys)
    {
        var plaintext = FirstPlaintext();
        var envelope = Seal(keys, Direction.ClientToServer, 1, Ts1, plaintext);
        return new JsonObject
        {
            ["description"] = "One c2s chat message (MessageEnvelope) with session_id and k_chat_c2s from key_schedule. "
                + "meta = session_id || u8(dir) || u64(seqno) || u64(ts) (33 bytes); nonce = u32(0) || u64(seqno); "
                + "aad = \"securechat/1 msg\" || 0x00 || meta; ct = AES-128-GCM(k_chat_c2s, nonce, aad, plaintext) "
                + "(ciphertext || tag); commit = SHA-256(\"securechat/1 commit\" || 0x00 || plaintext); signed_content = "
                + "meta || ct || commit; signature_input = 0x20 * 64 || \"securechat/1 msg\" || 0x00 || signed_content. "
                + "RSASSA-PSS is randomized, so the signature itself is not a known answer: any valid signature over "
                + "signature_input with the sender's key is correct.",
            ["session_id"] = Hex(keys.SessionId),
            ["dir"] = "c2s",
            ["seqno"] = 1,
            ["ts"] = Ts1,
            ["key"] = Hex(keys.ChatClientToServer),
            ["r"] = R1,
            ["plaintext_utf8"] = Encoding.UTF8.GetString(plaintext),
            ["plaintext"] = Hex(plaintext),
            ["meta"] = Hex(envelope.Meta),
            ["nonce"] = Hex(envelope.Nonce),
            ["aad"] = Hex(envelope.Aad),
            ["ct"] = Hex(envelope.Ct),
            ["ct_b64"] = Convert.ToBase64String(envelope.Ct),
            ["commit"] = Hex(envelope.Commit),
            ["commit_b64"] = Convert.ToBase64String(envelope.Commit),
            ["signed_content"] = Hex(envelope.SignedContent),
            ["signature_input"] = Hex(SignatureInput.Build(Labels.Msg, envelope.SignedContent)),
        };
    }

    private static JsonObject DhSignatureVectors(PublicValues values)
    {
        const string group = "ffdhe2048";
        return new JsonObject
        {
            ["description"] = "Signed content and full signature input of the four DH messages (DhSignatures), with the "
                + "public values of the dh group and fixed 32-byte stand-ins for the transcript hashes. Client: "
                + "content = TH || ascii(group) || 0x00 || A; server: content = TH || B; signature_input = 0x20 * 64 || "
                + "context || 0x00 || content.",
            ["group"] = group,
            ["cases"] = new JsonArray
            {
                DhSignatureCase("dh_client", DhPhase.Auth, "TH(server_hello)", ThServerHello, values.AAuth, group),
                DhSignatureCase("dh_server", DhPhase.Auth, "TH(dh_client auth)", ThDhClientAuth, values.BAuth, null),
                DhSignatureCase("dh_client", DhPhase.Chat, "TH(auth_response)", ThAuthResponse, values.AChat, group),
                DhSignatureCase("dh_server", DhPhase.Chat, "TH(dh_client chat)", ThDhClientChat, values.BChat, null),
            },
        };
    }

    private static JsonObject DhSignatureCase(string type, DhPhase phase, string thName, string th, byte[] publicValue, string? group)
    {
        var thBytes = Convert.FromHexString(th);
        var client = group is not null;
        var context = client ? DhSignatures.ClientContext(phase) : DhSignatures.ServerContext(phase);
        var content = client ? DhSignatures.ClientContent(thBytes, group!, publicValue) : DhSignatures.ServerContent(thBytes, publicValue);
        var result = new JsonObject
        {
            ["type"] = type,
            ["phase"] = phase.ToWire(),
            ["context"] = context,
            ["th_name"] = thName,
            ["th"] = th,
            [client ? "A" : "B"] = Hex(publicValue),
            ["signed_content"] = Hex(content),
            ["signature_input"] = Hex(SignatureInput.Build(context, content)),
        };
        return result;
    }

    private static JsonObject FrameVectors(byte[] authRequestCt, ChatMessage message)
    {
        var authRequest = new AuthRequestMessage { Ct = Convert.ToBase64String(authRequestCt) };
        return new JsonObject
        {
            ["description"] = "Whole frames as this implementation writes them (MessageCodec.EncodeFrame): u32 big-endian "
                + "body length || UTF-8 JSON body, \"type\" first. The encoder escapes some characters, notably '+' as "
                + "\\u002B and every non-ASCII character as \\uXXXX; a receiver decodes JSON escapes normally and hashes "
                + "the frame bytes as received. The first frame carries the first auth_encryption ciphertext; the second "
                + "carries the first transcript message (stand-in signature).",
            ["cases"] = new JsonArray
            {
                FrameCase(authRequest),
                FrameCase(message),
            },
        };
    }

    private static JsonObject FrameCase(WireMessage message)
    {
        var body = MessageCodec.Encode(message);
        var frame = MessageCodec.EncodeFrame(message);
        return new JsonObject
        {
            ["body_utf8"] = Encoding.UTF8.GetString(body),
            ["body_length"] = body.Length,
            ["frame"] = Hex(frame),
        };
    }

    private static byte[] FirstPlaintext() => MessageCodec.Encode(new ChatPlaintext
    {
        Text = "Hello, Bob! 1 + 1 = 2 <ok> é",
        R = Convert.ToBase64String(Convert.FromHexString(R1)),
    });

    private static Envelope Seal(SessionKeys keys, Direction direction, long seqno, long ts, byte[] plaintext)
    {
        var key = direction == Direction.ClientToServer ? keys.ChatClientToServer : keys.ChatServerToClient;
        var meta = MessageEnvelope.Meta(keys.SessionId, direction, seqno, ts);
        var nonce = AuthCipher.Nonce(seqno);
        var aad = MessageEnvelope.AssociatedData(meta);
        var ct = Aead.Seal(key, nonce, aad, plaintext);
        var commit = MessageEnvelope.Commitment(plaintext);
        return new Envelope(meta, nonce, aad, ct, commit, MessageEnvelope.SignedContent(meta, ct, commit));
    }

    /// <summary>256 fixed bytes that stand where an RSA-2048 signature would be.</summary>
    private static byte[] SignatureStandIn(Direction direction, long seqno)
    {
        var bytes = new byte[256];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 37) + ((int)direction * 101) + ((int)seqno * 53));
        }

        return bytes;
    }

    private static byte[] EffectiveExponent(string exponent) => [0x01, .. Convert.FromHexString(exponent)];

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private sealed record PublicValues(byte[] AAuth, byte[] BAuth, byte[] AChat, byte[] BChat);

    private sealed record SessionKeys(byte[] AuthClientToServer, byte[] AuthServerToClient, byte[] ChatClientToServer,
        byte[] ChatServerToClient, byte[] SessionId);

    private sealed record Envelope(byte[] Meta, byte[] Nonce, byte[] Aad, byte[] Ct, byte[] Commit, byte[] SignedContent);
}
