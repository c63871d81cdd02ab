using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SecureChat.Crypto;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using NumericsBigInteger = System.Numerics.BigInteger;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>docs/test-vectors.json: the file must equal what the implementation computes, and its values are
/// recomputed here a second time from the documented byte layouts with nothing but .NET primitives, so that the
/// vectors are not merely self-consistent.</summary>
public sealed partial class TestVectorTests
{
    private const int ModulusLength = 256;

    [Fact]
    public void Vector_file_is_what_the_implementation_computes()
    {
        var generated = TestVectorGenerator.Generate();
        var target = Environment.GetEnvironmentVariable(TestVectorGenerator.WriteVariable);
        if (!string.IsNullOrEmpty(target))
        {
            File.WriteAllText(target, TestVectorGenerator.Serialize(generated));
            return;
        }

        var difference = VectorFile.FirstDifference(generated, VectorFile.Root, "$");
        Assert.True(difference is null, $"docs/test-vectors.json is stale at {difference}; regenerate it with {TestVectorGenerator.WriteVariable}.");
        Assert.Equal(TestVectorGenerator.Serialize(generated), VectorFile.Text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Ffdhe2048_prime_is_the_rfc7919_formula()
    {
        // RFC 7919 A.1: p = 2^2048 - 2^1984 + (floor(2^1918 * e) + 560316) * 2^64 - 1, with e summed as 1/k!.
        const int guard = 128;
        var scale = NumericsBigInteger.One << (1918 + guard);
        var sum = NumericsBigInteger.Zero;
        var factorial = NumericsBigInteger.One;
        for (var k = 1; ; k++)
        {
            var term = scale / factorial;
            if (term.IsZero)
            {
                break;
            }

            sum += term;
            factorial *= k;
        }

        var p = (NumericsBigInteger.One << 2048) - (NumericsBigInteger.One << 1984)
            + (((sum >> guard) + 560316) << 64) - 1;
        var dh = VectorFile.Group("dh");
        Assert.Equal("ffdhe2048", dh.Str("group"));
        Assert.Equal(2, dh.Int("g"));
        Assert.Equal(Fixed(p), dh.Bytes("p"));
    }

    [Theory]
    [InlineData("auth", "Z1")]
    [InlineData("chat", "Z2")]
    public void Dh_values_are_plain_modular_exponentiations(string phase, string secretName)
    {
        var dh = VectorFile.Group("dh");
        var p = Unsigned(dh.Bytes("p"));
        var values = dh[phase]!;
        var xClient = EffectiveExponent(values.Bytes("client_exponent"));
        var xServer = EffectiveExponent(values.Bytes("server_exponent"));
        Assert.Equal(xClient, values.Bytes("client_exponent_effective"));
        Assert.Equal(xServer, values.Bytes("server_exponent_effective"));

        var a = NumericsBigInteger.ModPow(2, Unsigned(xClient), p);
        var b = NumericsBigInteger.ModPow(2, Unsigned(xServer), p);
        Assert.Equal(Fixed(a), values.Bytes("A"));
        Assert.Equal(Fixed(b), values.Bytes("B"));
        Assert.True(a > 1 && a < p - 1 && b > 1 && b < p - 1);
        Assert.Equal(Fixed(NumericsBigInteger.ModPow(b, Unsigned(xClient), p)), values.Bytes(secretName));
        Assert.Equal(Fixed(NumericsBigInteger.ModPow(a, Unsigned(xServer), p)), values.Bytes(secretName));
    }

    [Fact]
    public void Key_schedule_is_hkdf_as_documented()
    {
        var ks = VectorFile.Group("key_schedule");
        var dh = VectorFile.Group("dh");
        Assert.Equal(dh["auth"]!.Str("Z1"), ks.Str("Z1"));
        Assert.Equal(dh["chat"]!.Str("Z2"), ks.Str("Z2"));
        var th1 = ks.Bytes("TH1");
        var th2 = ks.Bytes("TH2");

        Assert.Equal(new byte[32], ks.Bytes("auth_salt"));
        var authSecret = HmacExtract(new byte[32], ks.Bytes("Z1"));
        Assert.Equal(authSecret, ks.Bytes("auth_secret"));
        Assert.Equal(Labelled("securechat/1 k_auth c2s", th1), ks.Bytes("info_k_auth_c2s"));
        Assert.Equal(Labelled("securechat/1 k_auth s2c", th1), ks.Bytes("info_k_auth_s2c"));
        Assert.Equal(HmacExpand(authSecret, ks.Bytes("info_k_auth_c2s"), 16), ks.Bytes("k_auth_c2s"));
        Assert.Equal(HmacExpand(authSecret, ks.Bytes("info_k_auth_s2c"), 16), ks.Bytes("k_auth_s2c"));

        Assert.Equal(Encoding.ASCII.GetBytes("securechat/1 derived"), ks.Bytes("info_derived"));
        var derived = HmacExpand(authSecret, ks.Bytes("info_derived"), 32);
        Assert.Equal(derived, ks.Bytes("derived"));
        var chatSecret = HmacExtract(derived, ks.Bytes("Z2"));
        Assert.Equal(chatSecret, ks.Bytes("chat_secret"));
        Assert.Equal(Labelled("securechat/1 k_chat c2s", th2), ks.Bytes("info_k_chat_c2s"));
        Assert.Equal(Labelled("securechat/1 k_chat s2c", th2), ks.Bytes("info_k_chat_s2c"));
        Assert.Equal(HmacExpand(chatSecret, ks.Bytes("info_k_chat_c2s"), 16), ks.Bytes("k_chat_c2s"));
        Assert.Equal(HmacExpand(chatSecret, ks.Bytes("info_k_chat_s2c"), 16), ks.Bytes("k_chat_s2c"));
        Assert.Equal(th2[..16], ks.Bytes("session_id"));

        // The platform's HKDF agrees with the hand-written one end to end.
        var platform = HKDF.DeriveKey(HashAlgorithmName.SHA256, ks.Bytes("Z2"), 16, derived, ks.Bytes("info_k_chat_c2s"));
        Assert.Equal(ks.Bytes("k_chat_c2s"), platform);
    }

    [Fact]
    public void Auth_ciphertexts_are_aes_gcm_with_the_documented_nonce_and_aad()
    {
        var ks = VectorFile.Group("key_schedule");
        var seen = new HashSet<(string, long)>();
        foreach (var c in VectorFile.Group("auth_encryption").Items("cases"))
        {
            var key = c.Bytes("key");
            Assert.Equal(ks.Bytes(c.Str("key_name")), key);
            var n = c.Int("n");
            Assert.True(seen.Add((c.Str("dir"), n)), "a nonce is used twice under one key");
            var nonce = new byte[12];
            BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), (ulong)n);
            Assert.Equal(nonce, c.Bytes("nonce"));
            var direction = c.Str("dir") == "c2s" ? (byte)1 : (byte)2;
            byte[] aad = [.. Encoding.ASCII.GetBytes("securechat/1 auth"), 0x00, direction];
            Assert.Equal(aad, c.Bytes("aad"));

            var plaintext = c.Bytes("plaintext");
            Assert.Equal(Encoding.UTF8.GetBytes(c.Str("plaintext_utf8")), plaintext);
            var ct = GcmSeal(key, nonce, aad, plaintext);
            Assert.Equal(ct, c.Bytes("ct"));
            Assert.Equal(Convert.ToBase64String(ct), c.Str("ct_b64"));

            // And the project's receiver opens it with its own counter.
            Assert.True(AuthCipher.TryOpen(key, (Direction)direction, n, ct, out var opened));
            Assert.Equal(plaintext, opened);
            if (direction == 1)
            {
                Assert.Contains(MessageCodec.DecodeAuthRequest(opened).Op, new[] { "register", "login" });
            }
            else
            {
                var response = MessageCodec.DecodeAuthResponse(opened);
                Assert.False(response.Ok);
                Assert.Equal("", response.Username);
            }
        }
    }

    [Fact]
    public void Msg_envelope_is_laid_out_as_documented()
    {
        var msg = VectorFile.Group("msg");
        var ks = VectorFile.Group("key_schedule");
        var sessionId = msg.Bytes("session_id");
        Assert.Equal(ks.Bytes("session_id"), sessionId);
        Assert.Equal(ks.Bytes("k_chat_c2s"), msg.Bytes("key"));

        var meta = Meta(sessionId, 1, msg.Int("seqno"), msg.Int("ts"));
        Assert.Equal(33, meta.Length);
        Assert.Equal(meta, msg.Bytes("meta"));
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), (ulong)msg.Int("seqno"));
        Assert.Equal(nonce, msg.Bytes("nonce"));
        byte[] aad = [.. Encoding.ASCII.GetBytes("securechat/1 msg"), 0x00, .. meta];
        Assert.Equal(aad, msg.Bytes("aad"));

        var plaintext = msg.Bytes("plaintext");
        Assert.Equal(Encoding.UTF8.GetBytes(msg.Str("plaintext_utf8")), plaintext);
        using (var json = JsonDocument.Parse(plaintext))
        {
            Assert.Equal(msg.Bytes("r"), Convert.FromBase64String(json.RootElement.GetProperty("r").GetString()!));
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("text").GetString()));
        }

        var ct = GcmSeal(msg.Bytes("key"), nonce, aad, plaintext);
        Assert.Equal(ct, msg.Bytes("ct"));
        Assert.Equal(Convert.ToBase64String(ct), msg.Str("ct_b64"));
        var commit = SHA256.HashData([.. Encoding.ASCII.GetBytes("securechat/1 commit"), 0x00, .. plaintext]);
        Assert.Equal(commit, msg.Bytes("commit"));
        Assert.Equal(Convert.ToBase64String(commit), msg.Str("commit_b64"));
        byte[] content = [.. meta, .. ct, .. commit];
        Assert.Equal(content, msg.Bytes("signed_content"));
        Assert.Equal(SigInput("securechat/1 msg", content), msg.Bytes("signature_input"));
    }

    [Fact]
    public void A_real_msg_signature_is_over_the_documented_input()
    {
        var msg = VectorFile.Group("msg");
        using var rsa = TestPki.Client.GetRSAPublicKey()!;
        using var signer = new LocalIdentity(TestPki.Client);
        var sealedMessage = MessageEnvelope.Seal(msg.Bytes("key"), msg.Bytes("session_id"), Direction.ClientToServer,
            msg.Int("seqno"), msg.Int("ts"), msg.Bytes("plaintext"), signer.SigningKey);

        Assert.Equal(msg.Str("ct_b64"), sealedMessage.Ct);
        Assert.Equal(msg.Str("commit_b64"), sealedMessage.Commit);
        var signature = Convert.FromBase64String(sealedMessage.Sig);
        Assert.Equal(256, signature.Length);
        Assert.True(rsa.VerifyData(msg.Bytes("signature_input"), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void Dh_signature_inputs_are_laid_out_as_documented_and_signed_as_such()
    {
        var dh = VectorFile.Group("dh");
        var group = VectorFile.Group("dh_signatures");
        using var rsaSigner = new LocalIdentity(TestPki.Client);
        using var rsa = TestPki.Client.GetRSAPublicKey()!;
        using var ecdsaSigner = new LocalIdentity(TestPki.EcdsaServer);
        using var ecdsa = TestPki.EcdsaServer.GetECDsaPublicKey()!;
        foreach (var c in group.Items("cases"))
        {
            var client = c.Str("type") == "dh_client";
            var phase = c.Str("phase");
            var context = $"securechat/1 {c.Str("type")} {phase}";
            Assert.Equal(context, c.Str("context"));
            var th = c.Bytes("th");
            Assert.Equal(32, th.Length);
            var value = c.Bytes(client ? "A" : "B");
            Assert.Equal(dh[phase]!.Bytes(client ? "A" : "B"), value);
            byte[] content = client ? [.. th, .. Encoding.ASCII.GetBytes(group.Str("group")), 0x00, .. value] : [.. th, .. value];
            Assert.Equal(content, c.Bytes("signed_content"));
            var input = SigInput(context, content);
            Assert.Equal(input, c.Bytes("signature_input"));

            Assert.True(rsa.VerifyData(input, rsaSigner.SigningKey.Sign(context, content), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
            Assert.True(ecdsa.VerifyData(input, ecdsaSigner.SigningKey.Sign(context, content), HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    [Fact]
    public void Frames_are_a_big_endian_length_and_the_json_body()
    {
        var cases = VectorFile.Group("frames").Items("cases").ToList();
        var frames = new List<byte[]>();
        foreach (var c in cases)
        {
            var body = Encoding.UTF8.GetBytes(c.Str("body_utf8"));
            Assert.Equal(body.Length, c.Int("body_length"));
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)body.Length);
            Assert.Equal([.. prefix, .. body], c.Bytes("frame"));
            frames.Add(c.Bytes("frame"));
        }

        var authCase = VectorFile.Group("auth_encryption").Items("cases").First();
        var authRequest = Assert.IsType<AuthRequestMessage>(MessageCodec.DecodeFrame(frames[0]));
        Assert.Equal(authCase.Str("ct_b64"), authRequest.Ct);

        var first = VectorFile.Group("transcript").Items("messages").First();
        var message = Assert.IsType<ChatMessage>(MessageCodec.DecodeFrame(frames[1]));
        Assert.Equal((first.Int("seqno"), first.Int("ts"), first.Str("ct_b64"), first.Str("commit_b64"), first.Str("sig_b64")),
            (message.Seqno, message.Ts, message.Ct, message.Commit, message.Sig));

        // The JSON text writes '+' as is; a JSON escape of it would decode to the same base64 "as sent".
        Assert.DoesNotContain("\\u002B", cases[1].Str("body_utf8"), StringComparison.Ordinal);
        Assert.Contains('+', message.Sig);
        var escaped = Encoding.UTF8.GetBytes(cases[1].Str("body_utf8").Replace("+", "\\u002B", StringComparison.Ordinal));
        Assert.Equal(message, MessageCodec.Decode(escaped));

        // Both frames come back out of one stream split at every byte.
        var stream = frames.SelectMany(f => f).ToArray();
        var buffer = SegmentedSequence.Create(stream.Select(b => new[] { b }).ToArray());
        Assert.True(FrameReader.TryReadFrame(ref buffer, out var one));
        Assert.True(FrameReader.TryReadFrame(ref buffer, out var two));
        Assert.Equal(frames[0], one.ToArray());
        Assert.Equal(frames[1], two.ToArray());
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void BouncyCastle_refuses_in_range_values_outside_the_prime_order_subgroup()
    {
        // ffdhe2048's p is a safe prime and BouncyCastle carries q = (p-1)/2, so DHPublicKeyParameters checks the
        // Legendre symbol (y | p) = 1 on top of 2 <= y <= p-2. DhKeyPair relies on that for subgroup membership.
        var parameters = Org.BouncyCastle.Crypto.Agreement.DHStandardGroups.rfc7919_ffdhe2048;
        Assert.Equal(parameters.P.ShiftRight(1), parameters.Q);
        var p = parameters.P;
        var q = parameters.Q;
        var minusOne = p.Subtract(Org.BouncyCastle.Math.BigInteger.One);
        var nonResidue = Enumerable.Range(3, 100).Select(i => Org.BouncyCastle.Math.BigInteger.ValueOf(i))
            .First(y => y.ModPow(q, p).Equals(minusOne));
        var encoded = Fixed(new NumericsBigInteger(nonResidue.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true));

        Assert.True(DhKeyPair.IsValidPublicValue(DhGroup.Ffdhe2048, encoded));
        Assert.Throws<ArgumentException>(() => new Org.BouncyCastle.Crypto.Parameters.DHPublicKeyParameters(nonResidue, parameters));
        var own = DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, VectorFile.Group("dh")["auth"]!.Bytes("client_exponent"));
        Assert.False(own.TryComputeSharedSecret(encoded, out _));

        // A square such as 4 = 2^2 lies in the subgroup and is accepted.
        Assert.True(own.TryComputeSharedSecret(Fixed(4), out var z));
        Assert.Equal(ModulusLength, z.Length);
    }

    private static byte[] HmacExtract(byte[] salt, byte[] inputKeyMaterial) => HMACSHA256.HashData(salt, inputKeyMaterial);

    private static byte[] HmacExpand(byte[] prk, byte[] info, int length)
    {
        var output = new List<byte>();
        var previous = Array.Empty<byte>();
        for (byte i = 1; output.Count < length; i++)
        {
            previous = HMACSHA256.HashData(prk, (byte[])[.. previous, .. info, i]);
            output.AddRange(previous);
        }

        return output.Take(length).ToArray();
    }

    private static byte[] GcmSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
    {
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        return [.. ciphertext, .. tag];
    }

    private static byte[] Meta(byte[] sessionId, byte direction, long seqno, long ts)
    {
        var numbers = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(numbers, (ulong)seqno);
        BinaryPrimitives.WriteUInt64BigEndian(numbers.AsSpan(8), (ulong)ts);
        return [.. sessionId, direction, .. numbers];
    }

    private static byte[] Labelled(string label, byte[] suffix) => [.. Encoding.ASCII.GetBytes(label), 0x00, .. suffix];

    private static byte[] SigInput(string context, byte[] content) =>
        [.. Enumerable.Repeat((byte)0x20, 64), .. Encoding.ASCII.GetBytes(context), 0x00, .. content];

    private static byte[] EffectiveExponent(byte[] exponent) => [0x01, .. exponent];

    private static NumericsBigInteger Unsigned(byte[] bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] Fixed(NumericsBigInteger value)
    {
        var magnitude = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[ModulusLength];
        magnitude.CopyTo(result, ModulusLength - magnitude.Length);
        return result;
    }
}
