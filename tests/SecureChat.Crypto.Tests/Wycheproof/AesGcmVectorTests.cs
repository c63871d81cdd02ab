namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>Wycheproof AES-GCM through <see cref="Aead"/>: the AES-128 / 96-bit IV / 128-bit tag groups are the suite;
/// every other group must be refused as a wrong argument.</summary>
public sealed class AesGcmVectorTests
{
    private static readonly WycheproofFile Vectors = WycheproofFile.Load("aes_gcm_test.json");

    public static TheoryData<int> InSuite => Vectors.TcIds(IsInSuite);

    public static TheoryData<int> OutOfSuite => Vectors.TcIds(c => !IsInSuite(c));

    [Theory]
    [MemberData(nameof(InSuite))]
    public void Vector(int tcId)
    {
        var v = Vectors[tcId];
        var key = v.Bytes("key");
        var iv = v.Bytes("iv");
        var aad = v.Bytes("aad");
        var msg = v.Bytes("msg");
        byte[] sealedData = [.. v.Bytes("ct"), .. v.Bytes("tag")];

        if (v.IsValid)
        {
            Assert.Equal(Convert.ToHexStringLower(sealedData), Convert.ToHexStringLower(Aead.Seal(key, iv, aad, msg)));
            Assert.True(Aead.TryOpen(key, iv, aad, sealedData, out var plaintext), v.Description);
            Assert.Equal(msg, plaintext);
        }
        else
        {
            Assert.True(v.IsInvalid, v.Description);
            Assert.False(Aead.TryOpen(key, iv, aad, sealedData, out var plaintext), v.Description);
            Assert.Empty(plaintext);
        }
    }

    [Theory]
    [MemberData(nameof(OutOfSuite))]
    public void Vector_outside_the_suite_is_refused(int tcId)
    {
        var v = Vectors[tcId];
        var key = v.Bytes("key");
        var iv = v.Bytes("iv");
        byte[] sealedData = [.. v.Bytes("ct"), .. v.Bytes("tag")];

        Assert.Throws<ArgumentException>(() => Aead.Seal(key, iv, v.Bytes("aad"), v.Bytes("msg")));
        Assert.Throws<ArgumentException>(() => Aead.TryOpen(key, iv, v.Bytes("aad"), sealedData, out _));
    }

    private static bool IsInSuite(WycheproofCase c) =>
        c.GroupInt("keySize") == 128 && c.GroupInt("ivSize") == 96 && c.GroupInt("tagSize") == 128;
}
