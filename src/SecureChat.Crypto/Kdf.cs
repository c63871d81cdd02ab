using System.Security.Cryptography;

namespace SecureChat.Crypto;

/// <summary>HKDF-SHA256 (RFC 5869), the protocol's only key derivation function.</summary>
public static class Kdf
{
    /// <summary>Length of a SHA-256 output and so of every pseudo-random key.</summary>
    public const int HashLength = 32;

    /// <summary>HKDF-Extract: returns a pseudo-random key from <paramref name="inputKeyMaterial"/>.</summary>
    public static byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial)
    {
        var prk = new byte[HashLength];
        HKDF.Extract(HashAlgorithmName.SHA256, inputKeyMaterial, salt, prk);
        return prk;
    }

    /// <summary>HKDF-Expand: derives <paramref name="length"/> bytes bound to <paramref name="info"/>.</summary>
    public static byte[] Expand(ReadOnlySpan<byte> pseudoRandomKey, ReadOnlySpan<byte> info, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var output = new byte[length];
        HKDF.Expand(HashAlgorithmName.SHA256, pseudoRandomKey, output, info);
        return output;
    }
}
