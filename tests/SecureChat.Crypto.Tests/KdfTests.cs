namespace SecureChat.Crypto.Tests;

/// <summary>HKDF edge cases not covered by the Wycheproof file, which checks only the final output.</summary>
public sealed class KdfTests
{
    private static readonly byte[] Ikm = Enumerable.Repeat((byte)0x0b, 22).ToArray();

    /// <summary>RFC 5869 A.1 (salt 0x00..0x0c) and A.3 (no salt): the pseudo-random keys.</summary>
    [Theory]
    [InlineData("000102030405060708090a0b0c", "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")]
    [InlineData("", "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04")]
    public void Extract_matches_rfc5869(string salt, string prk) =>
        Assert.Equal(prk, Convert.ToHexStringLower(Kdf.Extract(Convert.FromHexString(salt), Ikm)));

    [Fact]
    public void Empty_salt_equals_a_hash_length_zero_salt() =>
        Assert.Equal(Kdf.Extract([], Ikm), Kdf.Extract(new byte[Kdf.HashLength], Ikm));

    [Fact]
    public void Expand_allows_one_to_255_blocks()
    {
        var prk = Kdf.Extract([], Ikm);

        Assert.Single(Kdf.Expand(prk, [], 1));
        Assert.Equal(255 * Kdf.HashLength, Kdf.Expand(prk, [], 255 * Kdf.HashLength).Length);
        Assert.Throws<ArgumentException>(() => Kdf.Expand(prk, [], (255 * Kdf.HashLength) + 1));
    }

    [Fact]
    public void Shorter_output_is_a_prefix_of_longer_output()
    {
        var prk = Kdf.Extract([], Ikm);

        Assert.Equal(Kdf.Expand(prk, "info"u8, 16), Kdf.Expand(prk, "info"u8, 80)[..16]);
        Assert.NotEqual(Kdf.Expand(prk, "info"u8, 16), Kdf.Expand(prk, "other"u8, 16));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Expand_rejects_a_non_positive_length(int length)
    {
        var prk = Kdf.Extract([], Ikm);

        Assert.ThrowsAny<ArgumentException>(() => Kdf.Expand(prk, [], length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Expand_rejects_a_key_shorter_than_the_hash(int prkLength) =>
        Assert.Throws<ArgumentException>(() => Kdf.Expand(new byte[prkLength], [], 32));
}
