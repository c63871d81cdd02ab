using System.Security.Cryptography;

namespace SecureChat.Crypto.Tests;

/// <summary>Encoding strictness of the raw verifiers, beyond the Wycheproof vectors.</summary>
public sealed class SignaturesTests
{
    private static readonly byte[] Message = "message"u8.ToArray();

    [Fact]
    public void Ecdsa_accepts_only_canonical_der()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = Signatures.SignEcdsa(key, Message);
        var p1363 = key.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        // The same SEQUENCE with its length in the long form: valid BER, not DER.
        byte[] longForm = [0x30, 0x81, der[1], .. der[2..]];

        Assert.True(Signatures.VerifyEcdsa(key, Message, der));
        Assert.False(Signatures.VerifyEcdsa(key, Message, p1363));
        Assert.False(Signatures.VerifyEcdsa(key, Message, longForm));
        Assert.False(Signatures.VerifyEcdsa(key, Message, [.. der, 0x00]));
        Assert.False(Signatures.VerifyEcdsa(key, Message, der[..^1]));
        Assert.False(Signatures.VerifyEcdsa(key, Message, []));
        Assert.False(Signatures.VerifyEcdsa(key, Message, [0x30, 0x00]));
        Assert.False(Signatures.VerifyEcdsa(key, Message, [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]));
    }

    [Fact]
    public void Ecdsa_rejects_a_negative_encoding_of_a_valid_s()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] p1363;
        do
        {
            // Looking for an s with its top bit set, so that DER needs a leading zero byte for it.
            p1363 = key.SignData(Message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        while (p1363[32] < 0x80);

        var r = Integer(p1363[..32]);
        byte[] negativeS = [0x02, 0x20, .. p1363[32..]];
        byte[] positiveS = [0x02, 0x21, 0x00, .. p1363[32..]];

        Assert.True(Signatures.VerifyEcdsa(key, Message, Sequence([.. r, .. positiveS])));
        Assert.False(Signatures.VerifyEcdsa(key, Message, Sequence([.. r, .. negativeS])));
    }

    [Fact]
    public void Rsa_verifiers_return_false_for_signatures_of_the_wrong_size()
    {
        using var key = RSA.Create(2048);
        var signature = Signatures.SignRsaPss(key, Message);

        Assert.True(Signatures.VerifyRsaPss(key, Message, signature));
        Assert.False(Signatures.VerifyRsaPss(key, Message, [0, .. signature]));
        Assert.False(Signatures.VerifyRsaPss(key, Message, signature[1..]));
        Assert.False(Signatures.VerifyRsaPss(key, Message, []));
        Assert.False(Signatures.VerifyRsaPkcs1(key, Message, []));
        Assert.False(Signatures.VerifyRsaPkcs1(key, Message, signature));
    }

    private static byte[] Integer(byte[] magnitude)
    {
        var trimmed = magnitude.AsSpan().TrimStart((byte)0).ToArray();
        return trimmed.Length == 0 || trimmed[0] >= 0x80
            ? [0x02, (byte)(trimmed.Length + 1), 0x00, .. trimmed]
            : [0x02, (byte)trimmed.Length, .. trimmed];
    }

    private static byte[] Sequence(byte[] content) => [0x30, (byte)content.Length, .. content];

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Rsa_pss_with_any_salt_length_but_32_is_refused(int saltLength)
    {
        using var key = RSA.Create(2048);
        var message = "securechat/1 msg content"u8.ToArray();

        Assert.False(Signatures.VerifyRsaPss(key, message, SignPssWithSalt(key, message, saltLength)));

        // The same independent signer with the protocol's 32-byte salt verifies, so only the salt differs.
        Assert.True(Signatures.VerifyRsaPss(key, message, SignPssWithSalt(key, message, 32)));
    }

    /// <summary>RSASSA-PSS-SHA256 with MGF1-SHA256 and a chosen salt length, made by BouncyCastle (.NET always uses
    /// a salt of the digest length, so it cannot produce the other lengths).</summary>
    private static byte[] SignPssWithSalt(RSA key, byte[] message, int saltLength)
    {
        var keyPair = Org.BouncyCastle.Security.DotNetUtilities.GetRsaKeyPair(key.ExportParameters(includePrivateParameters: true));
        var signer = new Org.BouncyCastle.Crypto.Signers.PssSigner(
            new Org.BouncyCastle.Crypto.Engines.RsaEngine(), new Org.BouncyCastle.Crypto.Digests.Sha256Digest(), saltLength);
        signer.Init(true, new Org.BouncyCastle.Crypto.Parameters.ParametersWithRandom(keyPair.Private, new Org.BouncyCastle.Security.SecureRandom()));
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }
}
