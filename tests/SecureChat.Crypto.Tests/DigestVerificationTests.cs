using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Crypto.Tests;

/// <summary>Verifying the SHA-256 digest of a signature input gives the same verdicts as verifying the input.</summary>
public sealed class DigestVerificationTests
{
    [Fact]
    public void Rsa_pss_digest_and_message_verification_agree()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        using var signer = new SigningKey(RSA.Create(rsa.ExportParameters(true)));
        AssertAgree(certificate, signer.Sign("securechat/1 msg", "content"u8), wrong: rsa.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Ecdsa_digest_and_message_verification_agree()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=ec", ec, HashAlgorithmName.SHA256));
        using var signer = new SigningKey(ECDsa.Create(ec.ExportParameters(true)));
        var signature = signer.Sign("securechat/1 msg", "content"u8);

        // The same r and s with a redundant leading zero byte: refused by both, as it is not DER.
        var padded = signature.ToArray();
        padded = [padded[0], (byte)(padded[1] + 1), padded[2], (byte)(padded[3] + 1), 0x00, .. padded[4..]];
        AssertAgree(certificate, signature, wrong: padded);
    }

    private static void AssertAgree(X509Certificate2 certificate, byte[] signature, byte[] wrong)
    {
        using var key = VerificationKey.FromCertificate(certificate)!;
        using var digestKey = DigestVerificationKey.FromCertificate(certificate)!;
        var tampered = signature.ToArray();
        tampered[^1] ^= 1;
        foreach (var (content, sig) in new[] { ("content"u8.ToArray(), signature), ("contenT"u8.ToArray(), signature),
            ("content"u8.ToArray(), tampered), ("content"u8.ToArray(), wrong), ("content"u8.ToArray(), []) })
        {
            var digest = SHA256.HashData(SignatureInput.Build("securechat/1 msg", content));
            Assert.Equal(key.Verify("securechat/1 msg", content, sig), digestKey.VerifyDigest(digest, sig));
        }

        Assert.True(digestKey.VerifyDigest(SHA256.HashData(SignatureInput.Build("securechat/1 msg", "content"u8)), signature));
    }

    private static X509Certificate2 SelfSigned(CertificateRequest request) =>
        request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
}
