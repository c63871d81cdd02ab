using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>Known answers of the message chains and receipts (PROTOCOL.md §10).</summary>
public sealed partial class TestVectorTests
{
    [Fact]
    public void Transcript_chains_are_sha256_over_the_documented_lines()
    {
        var t = VectorFile.Group("transcript");
        var ks = VectorFile.Group("key_schedule");
        var sessionId = t.Bytes("session_id");
        Assert.Equal(ks.Bytes("session_id"), sessionId);
        var chains = new Dictionary<string, List<byte[]>>
        {
            ["c2s"] = [SHA256.HashData([.. Encoding.ASCII.GetBytes("securechat/1 transcript c2s"), 0x00, .. sessionId])],
            ["s2c"] = [SHA256.HashData([.. Encoding.ASCII.GetBytes("securechat/1 transcript s2c"), 0x00, .. sessionId])],
        };
        Assert.Equal(chains["c2s"][0], t.Bytes("chain_c2s_0"));
        Assert.Equal(chains["s2c"][0], t.Bytes("chain_s2c_0"));

        foreach (var m in t.Items("messages"))
        {
            var dir = m.Str("dir");
            var seqno = m.Int("seqno");
            Assert.Equal(chains[dir].Count, seqno);

            // The ciphertext and commitment are real: they open under the session's key.
            var key = ks.Bytes(m.Str("key_name"));
            var meta = Meta(sessionId, dir == "c2s" ? (byte)1 : (byte)2, seqno, m.Int("ts"));
            var nonce = new byte[12];
            BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), (ulong)seqno);
            var plaintext = m.Bytes("plaintext");
            Assert.Equal(Convert.ToBase64String(GcmSeal(key, nonce, [.. Encoding.ASCII.GetBytes("securechat/1 msg"), 0x00, .. meta], plaintext)), m.Str("ct_b64"));
            Assert.Equal(Convert.ToBase64String(SHA256.HashData([.. Encoding.ASCII.GetBytes("securechat/1 commit"), 0x00, .. plaintext])), m.Str("commit_b64"));
            Assert.Equal(Convert.ToBase64String(m.Bytes("sig_stand_in")), m.Str("sig_b64"));

            var line = $"{dir}|{seqno}|{m.Int("ts")}|{m.Str("ct_b64")}|{m.Str("commit_b64")}|{m.Str("sig_b64")}";
            Assert.Equal(line, m.Str("line_utf8"));
            chains[dir].Add(SHA256.HashData([.. chains[dir][^1], .. Encoding.UTF8.GetBytes(line)]));
            Assert.Equal(chains[dir][^1], m.Bytes("chain_after"));
        }

        foreach (var prefix in t.Items("prefixes"))
        {
            byte[] both = [.. chains["c2s"][(int)prefix.Int("c2s_last_seq")], .. chains["s2c"][(int)prefix.Int("s2c_last_seq")]];
            Assert.Equal(SHA256.HashData(both), prefix.Bytes("transcript_sha256"));
        }
    }

    [Fact]
    public void Receipt_content_is_laid_out_as_documented_and_signed_as_such()
    {
        var t = VectorFile.Group("transcript");
        var sessionId = t.Bytes("session_id");
        var clientDer = t.Bytes("client_cert_der");
        var serverDer = t.Bytes("server_cert_der");
        Assert.Equal(Encoding.ASCII.GetBytes(t.Str("client_cert_der_utf8")), clientDer);
        Assert.Equal(Encoding.ASCII.GetBytes(t.Str("server_cert_der_utf8")), serverDer);
        Assert.Equal(SHA256.HashData(clientDer), t.Bytes("client_cert_sha256"));
        Assert.Equal(SHA256.HashData(serverDer), t.Bytes("server_cert_sha256"));
        var whole = t.Items("prefixes").Last();
        using var signer = new LocalIdentity(TestPki.Server);
        using var rsa = TestPki.Server.GetRSAPublicKey()!;

        foreach (var r in t.Items("receipts"))
        {
            Assert.Equal(Convert.ToHexStringLower(sessionId), r.Str("session_id"));
            Assert.Equal(whole.Int("c2s_last_seq"), r.Int("c2s_last_seq"));
            Assert.Equal(whole.Int("s2c_last_seq"), r.Int("s2c_last_seq"));
            Assert.Equal(whole.Str("transcript_sha256"), r.Str("transcript_sha256"));
            var content = new byte[129];
            sessionId.CopyTo(content, 0);
            content[16] = r.Str("peer") == "client" ? (byte)1 : (byte)2;
            SHA256.HashData(clientDer).CopyTo(content, 17);
            SHA256.HashData(serverDer).CopyTo(content, 49);
            BinaryPrimitives.WriteUInt64BigEndian(content.AsSpan(81), (ulong)r.Int("c2s_last_seq"));
            BinaryPrimitives.WriteUInt64BigEndian(content.AsSpan(89), (ulong)r.Int("s2c_last_seq"));
            Convert.FromHexString(r.Str("transcript_sha256")).CopyTo(content, 97);
            Assert.Equal(content, r.Bytes("signed_content"));
            var input = SigInput("securechat/1 receipt", content);
            Assert.Equal(input, r.Bytes("signature_input"));
            Assert.True(rsa.VerifyData(input, signer.SigningKey.Sign("securechat/1 receipt", content), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        }
    }
}
