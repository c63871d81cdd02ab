using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SecureChat.Crypto.Tests;

/// <summary>Protocol signatures through <see cref="SigningKey"/> and <see cref="VerificationKey"/>.</summary>
public sealed class SigningKeyTests
{
    private const string ContextA = "securechat/1 dh_client auth";
    private const string ContextB = "securechat/1 dh_server auth";

    // Key generation is the slow part; one key of each kind serves every test, each test working on its own copy.
    private static readonly RSAParameters RsaKey = GenerateRsa();
    private static readonly ECParameters EcKey = GenerateEc();

    private static readonly byte[] Content = "transcript hash || group || 0x00 || A"u8.ToArray();

    public static TheoryData<string> Algorithms => new() { "rsa", "ecdsa" };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Signature_verifies_under_the_same_context(string algorithm)
    {
        using var signer = new SigningKey(CreatePrivate(algorithm));
        using var verifier = new VerificationKey(CreatePublic(algorithm));

        var signature = signer.Sign(ContextA, Content);

        Assert.True(verifier.Verify(ContextA, Content, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Signature_does_not_verify_under_another_context(string algorithm)
    {
        using var signer = new SigningKey(CreatePrivate(algorithm));
        using var verifier = new VerificationKey(CreatePublic(algorithm));

        var signature = signer.Sign(ContextA, Content);

        Assert.False(verifier.Verify(ContextB, Content, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Flipped_bit_anywhere_fails(string algorithm)
    {
        using var signer = new SigningKey(CreatePrivate(algorithm));
        using var verifier = new VerificationKey(CreatePublic(algorithm));
        var signature = signer.Sign(ContextA, Content);

        foreach (var bit in new[] { 0, 7, 8, (signature.Length * 8 / 2) + 3, (signature.Length * 8) - 1 })
        {
            var tampered = (byte[])signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(verifier.Verify(ContextA, Content, tampered), $"signature bit {bit}");
        }

        for (var bit = 0; bit < Content.Length * 8; bit += 37)
        {
            var tampered = (byte[])Content.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(verifier.Verify(ContextA, tampered, signature), $"content bit {bit}");
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Malformed_signatures_return_false(string algorithm)
    {
        using var signer = new SigningKey(CreatePrivate(algorithm));
        using var verifier = new VerificationKey(CreatePublic(algorithm));
        var signature = signer.Sign(ContextA, Content);

        Assert.False(verifier.Verify(ContextA, Content, []));
        Assert.False(verifier.Verify(ContextA, Content, signature[..^1]));
        Assert.False(verifier.Verify(ContextA, Content, [.. signature, 0]));
        Assert.False(verifier.Verify(ContextA, Content, new byte[signature.Length]));
        Assert.False(verifier.Verify(ContextA, Content, Enumerable.Repeat((byte)0xFF, 600).ToArray()));
    }

    [Fact]
    public void Signature_from_another_key_or_algorithm_fails()
    {
        using var rsaSigner = new SigningKey(CreatePrivate("rsa"));
        using var ecSigner = new SigningKey(CreatePrivate("ecdsa"));
        using var rsaVerifier = new VerificationKey(CreatePublic("rsa"));
        using var ecVerifier = new VerificationKey(CreatePublic("ecdsa"));
        using var otherRsa = new VerificationKey(RSA.Create(2048));
        using var otherEc = new VerificationKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        var rsaSignature = rsaSigner.Sign(ContextA, Content);
        var ecSignature = ecSigner.Sign(ContextA, Content);

        Assert.False(ecVerifier.Verify(ContextA, Content, rsaSignature));
        Assert.False(rsaVerifier.Verify(ContextA, Content, ecSignature));
        Assert.False(otherRsa.Verify(ContextA, Content, rsaSignature));
        Assert.False(otherEc.Verify(ContextA, Content, ecSignature));
    }

    [Fact]
    public void Rsa_signature_is_pss_with_sha256_and_a_32_byte_salt()
    {
        using var signer = new SigningKey(CreatePrivate("rsa"));
        using var rsa = (RSA)CreatePublic("rsa");
        var input = SignatureInput.Build(ContextA, Content);

        var signature = signer.Sign(ContextA, Content);

        Assert.Equal(256, signature.Length);
        Assert.True(rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Assert.False(rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        // .NET's PSS API does not name the salt length; BouncyCastle checks it exactly.
        Assert.True(BouncyCastlePssVerifies(input, signature, saltLength: 32));
        Assert.False(BouncyCastlePssVerifies(input, signature, saltLength: 20));
        Assert.False(BouncyCastlePssVerifies(input, signature, saltLength: 0));
    }

    [Fact]
    public void Rsa_signatures_are_randomised()
    {
        using var signer = new SigningKey(CreatePrivate("rsa"));

        Assert.NotEqual(signer.Sign(ContextA, Content), signer.Sign(ContextA, Content));
    }

    [Fact]
    public void Ecdsa_signature_is_der_over_the_signature_input()
    {
        using var signer = new SigningKey(CreatePrivate("ecdsa"));
        using var ec = (ECDsa)CreatePublic("ecdsa");
        var input = SignatureInput.Build(ContextA, Content);

        var signature = signer.Sign(ContextA, Content);

        Assert.Equal(0x30, signature[0]);
        Assert.Equal(signature.Length - 2, signature[1]);
        Assert.True(ec.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verification_key_from_a_certificate_checks_signatures(string algorithm)
    {
        using var key = CreatePrivate(algorithm);
        var request = key is RSA rsa
            ? new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            : new CertificateRequest("CN=test", (ECDsa)key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var signer = new SigningKey(CreatePrivate(algorithm));

        using var verifier = VerificationKey.FromCertificate(certificate);

        Assert.NotNull(verifier);
        Assert.True(verifier.Verify(ContextB, Content, signer.Sign(ContextB, Content)));
        Assert.False(verifier.Verify(ContextA, Content, signer.Sign(ContextB, Content)));
    }

    [Fact]
    public void Keys_that_cannot_sign_protocol_messages_are_refused()
    {
        using var dh = ECDiffieHellman.Create();

        Assert.Throws<ArgumentException>(() => new SigningKey(dh));
        Assert.Throws<ArgumentException>(() => new VerificationKey(dh));
        Assert.Throws<ArgumentNullException>(() => new SigningKey(null!));
        Assert.Throws<ArgumentNullException>(() => new VerificationKey(null!));
        Assert.Throws<ArgumentNullException>(() => VerificationKey.FromCertificate(null!));
    }

    [Fact]
    public void Context_outside_printable_ascii_is_an_argument_error()
    {
        using var signer = new SigningKey(CreatePrivate("ecdsa"));
        using var verifier = new VerificationKey(CreatePublic("ecdsa"));

        Assert.Throws<ArgumentException>(() => signer.Sign("a\0b", Content));
        Assert.Throws<ArgumentException>(() => verifier.Verify("a\0b", Content, new byte[64]));
    }

    private static AsymmetricAlgorithm CreatePrivate(string algorithm) => algorithm switch
    {
        "rsa" => RSA.Create(RsaKey),
        "ecdsa" => ECDsa.Create(EcKey),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static AsymmetricAlgorithm CreatePublic(string algorithm) => algorithm switch
    {
        "rsa" => RSA.Create(new RSAParameters { Modulus = RsaKey.Modulus, Exponent = RsaKey.Exponent }),
        "ecdsa" => ECDsa.Create(new ECParameters { Curve = EcKey.Curve, Q = EcKey.Q }),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static bool BouncyCastlePssVerifies(byte[] input, byte[] signature, int saltLength)
    {
        var publicKey = new RsaKeyParameters(false, new BcBigInteger(1, RsaKey.Modulus), new BcBigInteger(1, RsaKey.Exponent));
        var signer = new PssSigner(new RsaEngine(), new Sha256Digest(), saltLength);
        signer.Init(false, publicKey);
        signer.BlockUpdate(input, 0, input.Length);
        return signer.VerifySignature(signature);
    }

    private static RSAParameters GenerateRsa()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(includePrivateParameters: true);
    }

    private static ECParameters GenerateEc()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportParameters(includePrivateParameters: true);
    }
}
