using System.Buffers.Binary;
using SecureChat.Crypto;

namespace SecureChat.Protocol.Handshake;

/// <summary>AES-128-GCM for <c>auth_request</c>/<c>auth_response</c> (protocol §4.3): one counter per direction,
/// nonce <c>u32(0) || u64(n)</c>, AAD <c>"securechat/1 auth" || 0x00 || u8(dir)</c>.</summary>
public static class AuthCipher
{
    /// <summary>Builds the 12-byte nonce for counter <paramref name="counter"/> (also used for chat seqnos).</summary>
    public static byte[] Nonce(long counter)
    {
        var nonce = new byte[Aead.NonceLength];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), checked((ulong)counter));
        return nonce;
    }

    /// <summary>The AAD for auth frames travelling in <paramref name="direction"/>.</summary>
    public static byte[] AssociatedData(Direction direction) => Labels.WithZeroAndSuffix(Labels.AuthAad, [(byte)direction]);

    /// <summary>Encrypts the <paramref name="counter"/>-th auth plaintext of a direction.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, Direction direction, long counter, ReadOnlySpan<byte> plaintext) =>
        Aead.Seal(key, Nonce(counter), AssociatedData(direction), plaintext);

    /// <summary>Decrypts the <paramref name="counter"/>-th auth ciphertext of a direction.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, Direction direction, long counter, ReadOnlySpan<byte> sealedData, out byte[] plaintext) =>
        Aead.TryOpen(key, Nonce(counter), AssociatedData(direction), sealedData, out plaintext);
}
