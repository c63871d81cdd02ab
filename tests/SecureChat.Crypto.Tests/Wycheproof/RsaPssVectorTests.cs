using System.Security.Cryptography;

namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>Wycheproof RSASSA-PSS 2048 / SHA-256 / MGF1-SHA-256 / 32-byte salt through <see cref="Signatures.VerifyRsaPss"/>.</summary>
/// <remarks>The file has no "acceptable" vectors; should one appear, it must be rejected, because the protocol
/// fixes every PSS parameter and has no use for lenient verification.</remarks>
public sealed class RsaPssVectorTests
{
    private static readonly WycheproofFile Vectors = WycheproofFile.Load("rsa_pss_2048_sha256_mgf1_32_test.json");

    public static TheoryData<int> All => Vectors.TcIds();

    [Theory]
    [MemberData(nameof(All))]
    public void Vector(int tcId)
    {
        var v = Vectors[tcId];
        using var key = ImportPublicKey(v);

        var verified = Signatures.VerifyRsaPss(key, v.Bytes("msg"), v.Bytes("sig"));

        Assert.True(verified == v.IsValid, $"VerifyRsaPss returned {verified} for {v.Description}");
    }

    internal static RSA ImportPublicKey(WycheproofCase v)
    {
        var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(v.GroupBytes("publicKeyDer"), out _);
        return key;
    }
}
