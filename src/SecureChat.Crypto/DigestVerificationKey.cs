using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Crypto;

/// <summary>A peer's public key that checks a protocol signature given the SHA-256 digest of the signature input.</summary>
/// <remarks>Both schemes of the suite sign the SHA-256 of their input (RSASSA-PSS-SHA256, ECDSA P-256 with SHA-256),
/// so hashing the input once and verifying the digest is the same check as <see cref="VerificationKey.Verify"/>, with
/// the same refusals; it lets a caller hash the input in pieces instead of copying it into one array.</remarks>
public sealed class DigestVerificationKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    private DigestVerificationKey(AsymmetricAlgorithm key) => _key = key;

    /// <summary>Extracts the key of <paramref name="certificate"/>; <see langword="null"/> if it is neither RSA nor EC.</summary>
    public static DigestVerificationKey? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        AsymmetricAlgorithm? key = certificate.GetRSAPublicKey() ?? (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey();
        return key is null ? null : new DigestVerificationKey(key);
    }

    /// <summary>Checks <paramref name="signature"/> over the input whose SHA-256 is <paramref name="digest"/>.</summary>
    public bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) => _key switch
    {
        RSA rsa => Signatures.VerifyRsaPssDigest(rsa, digest, signature),
        ECDsa ecdsa => Signatures.VerifyEcdsaDigest(ecdsa, digest, signature),
        _ => false,
    };

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
