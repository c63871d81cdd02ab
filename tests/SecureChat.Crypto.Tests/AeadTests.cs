using System.Security.Cryptography;

namespace SecureChat.Crypto.Tests;

public sealed class AeadTests
{
    private static readonly byte[] Key = Enumerable.Range(0, Aead.KeyLength).Select(i => (byte)i).ToArray();
    private static readonly byte[] Nonce = Enumerable.Range(100, Aead.NonceLength).Select(i => (byte)i).ToArray();
    private static readonly byte[] Aad = "header"u8.ToArray();
    private static readonly byte[] Plaintext = "attack at dawn"u8.ToArray();

    [Fact]
    public void Seal_returns_ciphertext_then_tag_and_open_recovers_the_plaintext()
    {
        var sealedData = Aead.Seal(Key, Nonce, Aad, Plaintext);

        var ciphertext = new byte[Plaintext.Length];
        var tag = new byte[Aead.TagLength];
        using (var gcm = new AesGcm(Key, Aead.TagLength))
        {
            gcm.Encrypt(Nonce, Plaintext, ciphertext, tag, Aad);
        }

        Assert.Equal([.. ciphertext, .. tag], sealedData);
        Assert.True(Aead.TryOpen(Key, Nonce, Aad, sealedData, out var opened));
        Assert.Equal(Plaintext, opened);
    }

    [Fact]
    public void Empty_plaintext_is_just_a_tag()
    {
        var sealedData = Aead.Seal(Key, Nonce, [], []);

        Assert.Equal(Aead.TagLength, sealedData.Length);
        Assert.True(Aead.TryOpen(Key, Nonce, [], sealedData, out var opened));
        Assert.Empty(opened);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(32)]
    public void Wrong_key_length_throws(int length)
    {
        var key = new byte[length];
        var sealedData = Aead.Seal(Key, Nonce, Aad, Plaintext);

        Assert.Equal("key", Assert.Throws<ArgumentException>(() => Aead.Seal(key, Nonce, Aad, Plaintext)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => Aead.TryOpen(key, Nonce, Aad, sealedData, out _)).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(16)]
    public void Wrong_nonce_length_throws(int length)
    {
        var nonce = new byte[length];
        var sealedData = Aead.Seal(Key, Nonce, Aad, Plaintext);

        Assert.Equal("nonce", Assert.Throws<ArgumentException>(() => Aead.Seal(Key, nonce, Aad, Plaintext)).ParamName);
        Assert.Equal("nonce", Assert.Throws<ArgumentException>(() => Aead.TryOpen(Key, nonce, Aad, sealedData, out _)).ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(Aead.TagLength - 1)]
    [InlineData(Aead.TagLength)]
    public void Truncated_input_does_not_open(int removed)
    {
        var sealedData = Aead.Seal(Key, Nonce, Aad, Plaintext);

        Assert.False(Aead.TryOpen(Key, Nonce, Aad, sealedData[..^removed], out var opened));
        Assert.Empty(opened);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Aead.TagLength - 1)]
    public void Input_shorter_than_a_tag_does_not_open(int length)
    {
        Assert.False(Aead.TryOpen(Key, Nonce, Aad, new byte[length], out var opened));
        Assert.Empty(opened);
    }

    [Fact]
    public void Any_changed_input_does_not_open()
    {
        var sealedData = Aead.Seal(Key, Nonce, Aad, Plaintext);
        var otherKey = (byte[])Key.Clone();
        otherKey[0] ^= 1;
        var otherNonce = (byte[])Nonce.Clone();
        otherNonce[^1] ^= 1;

        Assert.False(Aead.TryOpen(otherKey, Nonce, Aad, sealedData, out _));
        Assert.False(Aead.TryOpen(Key, otherNonce, Aad, sealedData, out _));
        Assert.False(Aead.TryOpen(Key, Nonce, "headeR"u8, sealedData, out _));
        Assert.False(Aead.TryOpen(Key, Nonce, [], sealedData, out _));
        Assert.False(Aead.TryOpen(Key, Nonce, Aad, [.. sealedData, 0], out _));
        for (var i = 0; i < sealedData.Length; i++)
        {
            var tampered = (byte[])sealedData.Clone();
            tampered[i] ^= 0x80;
            Assert.False(Aead.TryOpen(Key, Nonce, Aad, tampered, out var opened), $"byte {i}");
            Assert.Empty(opened);
        }
    }
}
