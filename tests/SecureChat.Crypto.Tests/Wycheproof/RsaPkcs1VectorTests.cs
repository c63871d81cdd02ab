namespace SecureChat.Crypto.Tests.Wycheproof;

/// <summary>Wycheproof RSASSA-PKCS1-v1_5 2048 / SHA-256, and the algorithm-confusion check that the protocol's
/// PSS verifier refuses every one of these signatures.</summary>
public sealed class RsaPkcs1VectorTests
{
    private static readonly WycheproofFile Vectors = WycheproofFile.Load("rsa_signature_2048_sha256_test.json");

    public static TheoryData<int> All => Vectors.TcIds();

    /// <summary>Every vector except the "WrongPrimitive" ones, which hold RSASSA-PSS signatures on purpose.</summary>
    public static TheoryData<int> NotPss => Vectors.TcIds(c => !c.Flags.Contains("WrongPrimitive"));

    public static TheoryData<int> Acceptable => Vectors.TcIds(c => c.IsAcceptable);

    [Theory]
    [MemberData(nameof(All))]
    public void Vector(int tcId)
    {
        var v = Vectors[tcId];
        using var key = RsaPssVectorTests.ImportPublicKey(v);

        var verified = Signatures.VerifyRsaPkcs1(key, v.Bytes("msg"), v.Bytes("sig"));

        // "acceptable" (a DigestInfo without the NULL parameter) may go either way; pinned separately below.
        if (!v.IsAcceptable)
        {
            Assert.True(verified == v.IsValid, $"VerifyRsaPkcs1 returned {verified} for {v.Description}");
        }
    }

    [Theory]
    [MemberData(nameof(NotPss))]
    public void Pss_verifier_rejects_every_pkcs1_signature(int tcId)
    {
        var v = Vectors[tcId];
        using var key = RsaPssVectorTests.ImportPublicKey(v);

        Assert.False(Signatures.VerifyRsaPss(key, v.Bytes("msg"), v.Bytes("sig")), v.Description);
    }

    /// <summary>The file's PSS signatures, made to catch a PKCS#1 verifier that also accepts PSS. Only 257 uses
    /// the protocol's exact PSS parameters, and the PSS verifier must accept exactly that one.</summary>
    [Theory]
    [InlineData(255, false)]
    [InlineData(256, false)]
    [InlineData(257, true)]
    public void Wrong_primitive_vectors_are_pss_signatures(int tcId, bool pssVerifies)
    {
        var v = Vectors[tcId];
        Assert.Contains("WrongPrimitive", v.Flags);
        using var key = RsaPssVectorTests.ImportPublicKey(v);

        Assert.False(Signatures.VerifyRsaPkcs1(key, v.Bytes("msg"), v.Bytes("sig")), v.Description);
        Assert.Equal(pssVerifies, Signatures.VerifyRsaPss(key, v.Bytes("msg"), v.Bytes("sig")));
    }

    [Fact]
    public void Only_three_vectors_are_wrong_primitive() =>
        Assert.Equal([255, 256, 257], Vectors.Cases.Where(c => c.Flags.Contains("WrongPrimitive")).Select(c => c.TcId));

    [Theory]
    [MemberData(nameof(Acceptable))]
    public void Acceptable_vector_outcome_is_pinned(int tcId)
    {
        var v = Vectors[tcId];
        using var key = RsaPssVectorTests.ImportPublicKey(v);

        // Pinned so that a platform change in this lenient corner is noticed; the protocol never relies on it.
        Assert.False(Signatures.VerifyRsaPkcs1(key, v.Bytes("msg"), v.Bytes("sig")), v.Description);
    }
}
