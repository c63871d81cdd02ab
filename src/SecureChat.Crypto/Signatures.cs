using System.Formats.Asn1;
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

    /// <summary>Verifies an RSASSA-PSS-SHA256 signature given the SHA-256 digest of the message; the same check as
    /// <see cref="VerifyRsaPss"/>, which hashes the message and then does exactly this.</summary>
    public static bool VerifyRsaPssDigest(RSA key, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return key.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
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
        if (!IsStrictDerEcdsaSignature(signature))
        {
            return false;
        }

        try
        {
            return key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Verifies a DER-encoded ECDSA P-256 signature given the SHA-256 digest of the message, with the same
    /// strict DER rule as <see cref="VerifyEcdsa"/>.</summary>
    public static bool VerifyEcdsaDigest(ECDsa key, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsStrictDerEcdsaSignature(signature))
        {
            return false;
        }

        try
        {
            return key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Checks that <paramref name="signature"/> is exactly <c>SEQUENCE { INTEGER r, INTEGER s }</c> in DER
    /// with r and s non-negative.</summary>
    /// <remarks>.NET converts the DER form to r || s by copying each INTEGER's bytes as an unsigned magnitude, so it
    /// accepts a negative INTEGER (a missing leading zero, Wycheproof "MissingZero") as if it were positive. The
    /// protocol wants one encoding per signature, so anything but canonical DER is refused here first.</remarks>
    private static bool IsStrictDerEcdsaSignature(ReadOnlySpan<byte> signature)
    {
        try
        {
            AsnDecoder.ReadSequence(signature, AsnEncodingRules.DER, out var contentOffset, out var contentLength, out var consumed);
            if (consumed != signature.Length)
            {
                return false;
            }

            var content = signature.Slice(contentOffset, contentLength);
            for (var i = 0; i < 2; i++)
            {
                var integer = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out var integerLength);
                if ((integer[0] & 0x80) != 0)
                {
                    return false;
                }

                content = content[integerLength..];
            }

            return content.IsEmpty;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
