using System.Security.Cryptography;

namespace SecureChat.Crypto;

/// <summary>AES-128-GCM with a 12-byte nonce and a 16-byte tag appended to the ciphertext.</summary>
public static class Aead
{
    /// <summary>Key length in bytes (AES-128).</summary>
    public const int KeyLength = 16;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceLength = 12;

    /// <summary>Tag length in bytes.</summary>
    public const int TagLength = 16;

    /// <summary>Encrypts and returns <c>ciphertext || tag</c>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        ValidateKeyAndNonce(key, nonce);
        var output = new byte[plaintext.Length + TagLength];
        using var gcm = new AesGcm(key, TagLength);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), associatedData);
        return output;
    }

    /// <summary>Decrypts <c>ciphertext || tag</c>.</summary>
    /// <returns><see langword="false"/> if the input is too short or the tag does not verify; nothing is released then.</returns>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> sealedData, out byte[] plaintext)
    {
        ValidateKeyAndNonce(key, nonce);
        plaintext = [];
        if (sealedData.Length < TagLength)
        {
            return false;
        }

        var length = sealedData.Length - TagLength;
        var output = new byte[length];
        using var gcm = new AesGcm(key, TagLength);
        try
        {
            gcm.Decrypt(nonce, sealedData[..length], sealedData[length..], output, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plaintext = output;
        return true;
    }

    private static void ValidateKeyAndNonce(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"AES-128-GCM needs a {KeyLength}-byte key.", nameof(key));
        }

        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"AES-128-GCM needs a {NonceLength}-byte nonce.", nameof(nonce));
        }
    }
}
