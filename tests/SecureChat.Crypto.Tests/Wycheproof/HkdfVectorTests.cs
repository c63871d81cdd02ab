namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>Wycheproof HKDF-SHA256 through <see cref="Kdf.Extract"/> and <see cref="Kdf.Expand"/>.</summary>
public sealed class HkdfVectorTests
{
    private static readonly WycheproofFile Vectors = WycheproofFile.Load("hkdf_sha256_test.json");

    public static TheoryData<int> All => Vectors.TcIds();

    [Theory]
    [MemberData(nameof(All))]
    public void Vector(int tcId)
    {
        var v = Vectors[tcId];
        var prk = Kdf.Extract(v.Bytes("salt"), v.Bytes("ikm"));
        Assert.Equal(Kdf.HashLength, prk.Length);
        var info = v.Bytes("info");
        var size = v.Int("size");

        if (v.IsValid)
        {
            Assert.Equal(Convert.ToHexStringLower(v.Bytes("okm")), Convert.ToHexStringLower(Kdf.Expand(prk, info, size)));
        }
        else
        {
            // Every invalid vector asks for more than 255 * HashLen bytes; .NET's HKDF refuses with ArgumentException.
            Assert.True(v.IsInvalid, v.Description);
            Assert.Contains("SizeTooLarge", v.Flags);
            Assert.Throws<ArgumentException>(() => Kdf.Expand(prk, info, size));
        }
    }
}
