using System.Security.Cryptography;

namespace SecureChat.Crypto;

/// <summary>The raw signature primitives of the cipher suite, over a message (hashing included).</summary>
/// <remarks>Every verifier returns <see langword="false"/> for any signature that does not verify, including
/// malformed encodings; it never throws for attacker-controlled input.</remarks>
public static class Signatures
{
    /// <summary>RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.</summary>
    public static byte[] SignRsaPss(RSA key, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignData(message.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>Verifies an RSASSA-PSS-SHA256 signature with a 32-byte salt.</summary>
    public static bool VerifyRsaPss(RSA key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return key.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature. The protocol never accepts these for its own
    /// messages; this exists so that tests can show the PSS verifier refuses them.</summary>
    public static bool VerifyRsaPkcs1(RSA key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return key.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>ECDSA over P-256 with SHA-256, DER-encoded (RFC 3279).</summary>
    public static byte[] SignEcdsa(ECDsa key, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Verifies a DER-encoded ECDSA P-256/SHA-256 signature.</summary>
    public static bool VerifyEcdsa(ECDsa key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
