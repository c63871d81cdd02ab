using Org.BouncyCastle.Math;

namespace SecureChat.Crypto.Tests;

public sealed class DhGroupTests
{
    [Theory]
    [InlineData("ffdhe2048", 256)]
    [InlineData("ffdhe3072", 384)]
    public void FromName_finds_the_two_groups(string name, int modulusLength)
    {
        var group = DhGroup.FromName(name);

        Assert.NotNull(group);
        Assert.Equal(name, group.Name);
        Assert.Equal(name, group.ToString());
        Assert.Equal(modulusLength, group.ModulusLength);
    }

    [Fact]
    public void FromName_returns_the_shared_instances()
    {
        Assert.Same(DhGroup.Ffdhe2048, DhGroup.FromName("ffdhe2048"));
        Assert.Same(DhGroup.Ffdhe3072, DhGroup.FromName("ffdhe3072"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("FFDHE2048")]
    [InlineData("Ffdhe2048")]
    [InlineData("ffdhe1024")]
    [InlineData("ffdhe4096")]
    [InlineData("ffdhe8192")]
    [InlineData("modp2048")]
    [InlineData(" ffdhe2048")]
    [InlineData("ffdhe2048 ")]
    [InlineData("ffdhe2048\0")]
    public void FromName_rejects_every_other_name(string? name) => Assert.Null(DhGroup.FromName(name));

    /// <summary>RFC 7919 §A: g = 2, p a safe prime whose top and bottom 64 bits are all ones.</summary>
    [Theory]
    [InlineData("ffdhe2048", 2048)]
    [InlineData("ffdhe3072", 3072)]
    public void Parameters_have_the_rfc7919_shape(string name, int bits)
    {
        var parameters = DhGroup.FromName(name)!.Parameters;
        var p = parameters.P;
        var q = p.ShiftRight(1);
        var ones64 = BigInteger.One.ShiftLeft(64).Subtract(BigInteger.One);

        Assert.Equal(BigInteger.Two, parameters.G);
        Assert.Equal(bits, p.BitLength);
        Assert.Equal(ones64, p.And(ones64));
        Assert.Equal(ones64, p.ShiftRight(bits - 64));
        Assert.True(p.IsProbablePrime(8));
        Assert.True(q.IsProbablePrime(8));

        // p = 7 mod 8 makes g = 2 a quadratic residue (a generator of the order-q subgroup) and p-2 a non-residue.
        Assert.Equal(7, p.Mod(BigInteger.ValueOf(8)).IntValue);

        // The group order q is known, so BouncyCastle can check that a peer's value lies in the prime-order subgroup.
        Assert.Equal(q, parameters.Q);
    }
}
