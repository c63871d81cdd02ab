using System.Security.Cryptography;

namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>Wycheproof ECDSA P-256 / SHA-256 with DER signatures through <see cref="Signatures.VerifyEcdsa"/>.</summary>
public sealed class EcdsaVectorTests
{
    private static readonly WycheproofFile Vectors = WycheproofFile.Load("ecdsa_secp256r1_sha256_test.json");

    public static TheoryData<int> All => Vectors.TcIds();

    [Theory]
    [MemberData(nameof(All))]
    public void Vector(int tcId)
    {
        var v = Vectors[tcId];
        using var key = ImportUncompressedPoint(v);

        var verified = Signatures.VerifyEcdsa(key, v.Bytes("msg"), v.Bytes("sig"));

        Assert.True(verified == v.IsValid, $"VerifyEcdsa returned {verified} for {v.Description}");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Key_from_SubjectPublicKeyInfo_gives_the_same_verdict(int tcId)
    {
        var v = Vectors[tcId];
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(v.GroupBytes("publicKeyDer"), out _);

        var verified = Signatures.VerifyEcdsa(key, v.Bytes("msg"), v.Bytes("sig"));

        Assert.True(verified == v.IsValid, $"VerifyEcdsa returned {verified} for {v.Description}");
    }

    private static ECDsa ImportUncompressedPoint(WycheproofCase v)
    {
        var publicKey = v.Group["publicKey"]!.AsObject();
        Assert.Equal("secp256r1", (string?)publicKey["curve"]);
        var point = Convert.FromHexString((string)publicKey["uncompressed"]!);
        Assert.Equal(65, point.Length);
        Assert.Equal(0x04, point[0]);
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
    }
}
