using SecureChat.Crypto.Tests.Support;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using NumericsBigInteger = System.Numerics.BigInteger;

namespace SecureChat.Crypto.Tests;

public sealed class DhKeyPairTests
{
    /// <summary>Enough tries to find a value with a leading zero byte (probability 1/256 each) with certainty in practice.</summary>
    private const int SearchLimit = 20_000;

    public static TheoryData<string> Groups => new() { "ffdhe2048", "ffdhe3072" };

    [Theory]
    [MemberData(nameof(Groups))]
    public void Both_sides_agree_on_a_modulus_length_secret(string name)
    {
        var group = DhGroup.FromName(name)!;
        var alice = DhKeyPair.Generate(group, IEntropySource.System);
        var bob = DhKeyPair.Generate(group, IEntropySource.System);

        Assert.True(alice.TryComputeSharedSecret(bob.PublicValue, out var za));
        Assert.True(bob.TryComputeSharedSecret(alice.PublicValue, out var zb));

        Assert.Equal(group.ModulusLength, alice.PublicValue.Length);
        Assert.Equal(group.ModulusLength, bob.PublicValue.Length);
        Assert.Equal(group.ModulusLength, za.Length);
        Assert.Equal(za, zb);
        Assert.NotEqual(alice.PublicValue, bob.PublicValue);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Public_value_and_secret_match_an_independent_computation(string name)
    {
        var group = DhGroup.FromName(name)!;
        var a = DeterministicEntropy.Bytes32(name + "/kat", 0);
        var b = DeterministicEntropy.Bytes32(name + "/kat", 1);
        var alice = DhKeyPair.FromPrivateExponent(group, a);
        var bob = DhKeyPair.FromPrivateExponent(group, b);

        Assert.Equal(Reference(group, 2, a), alice.PublicValue);
        Assert.True(alice.TryComputeSharedSecret(bob.PublicValue, out var z));
        Assert.Equal(Reference(group, bob.PublicValue, a), z);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Public_value_with_leading_zero_bytes_keeps_the_modulus_length(string name)
    {
        var group = DhGroup.FromName(name)!;
        var (pair, exponent) = Search(name + "/leading-zero-y", e => DhKeyPair.FromPrivateExponent(group, e), p => p.PublicValue[0] == 0);

        Assert.Equal(group.ModulusLength, pair.PublicValue.Length);
        Assert.Equal(Reference(group, 2, exponent), pair.PublicValue);
        Assert.True(DhKeyPair.IsValidPublicValue(group, pair.PublicValue));

        var peer = DhKeyPair.Generate(group, IEntropySource.System);
        Assert.True(peer.TryComputeSharedSecret(pair.PublicValue, out var zPeer));
        Assert.True(pair.TryComputeSharedSecret(peer.PublicValue, out var zPair));
        Assert.Equal(zPeer, zPair);

        // The same value without its leading zero is the wrong length and must be refused, not re-padded.
        Assert.False(DhKeyPair.IsValidPublicValue(group, pair.PublicValue.AsSpan(1)));
        Assert.False(peer.TryComputeSharedSecret(pair.PublicValue.AsSpan(1), out _));
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Shared_secret_with_leading_zero_bytes_keeps_the_modulus_length(string name)
    {
        var group = DhGroup.FromName(name)!;
        var aliceExponent = DeterministicEntropy.Bytes32(name + "/leading-zero-z/alice", 0);
        var alice = DhKeyPair.FromPrivateExponent(group, aliceExponent);

        // Searched with the cheap reference computation: the wrapper's agreement also checks subgroup membership,
        // a full-size exponentiation per try.
        var bobExponent = Enumerable.Range(0, SearchLimit)
            .Select(i => DeterministicEntropy.Bytes32(name + "/leading-zero-z/bob", i))
            .First(e => Reference(group, alice.PublicValue, e)[0] == 0);
        var bob = DhKeyPair.FromPrivateExponent(group, bobExponent);

        Assert.True(alice.TryComputeSharedSecret(bob.PublicValue, out var za));
        Assert.True(bob.TryComputeSharedSecret(alice.PublicValue, out var zb));
        Assert.Equal(0, za[0]);
        Assert.Equal(group.ModulusLength, za.Length);
        Assert.Equal(za, zb);
    }

    public static TheoryData<string, string> OutOfRangeValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in new[] { "ffdhe2048", "ffdhe3072" })
        {
            foreach (var value in new[] { "0", "1", "p-1", "p", "p+1", "2^bits-1" })
            {
                data.Add(name, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutOfRangeValues))]
    public void Values_outside_1_to_p_minus_1_are_rejected(string name, string value)
    {
        var group = DhGroup.FromName(name)!;
        var p = group.Parameters.P;
        var y = value switch
        {
            "0" => BcBigInteger.Zero,
            "1" => BcBigInteger.One,
            "p-1" => p.Subtract(BcBigInteger.One),
            "p" => p,
            "p+1" => p.Add(BcBigInteger.One),
            "2^bits-1" => BcBigInteger.One.ShiftLeft(group.ModulusLength * 8).Subtract(BcBigInteger.One),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };
        var encoded = Encode(y, group.ModulusLength);

        AssertRejected(group, encoded);
    }

    [Theory]
    [InlineData("ffdhe2048", 255)]
    [InlineData("ffdhe2048", 257)]
    [InlineData("ffdhe2048", 384)]
    [InlineData("ffdhe2048", 0)]
    [InlineData("ffdhe3072", 383)]
    [InlineData("ffdhe3072", 385)]
    [InlineData("ffdhe3072", 256)]
    [InlineData("ffdhe3072", 0)]
    public void Values_of_the_wrong_length_are_rejected(string name, int length)
    {
        var group = DhGroup.FromName(name)!;

        // Small but in range whatever the length, so only the length can be the reason for refusal.
        var encoded = new byte[length];
        if (length > 0)
        {
            encoded[^1] = 2;
        }

        AssertRejected(group, encoded);
    }

    /// <summary>p−1 has order 2: Z would be 1 for an even exponent and p−1 (leaking the exponent's parity) for an
    /// odd one. It is out of range; this shows the refusal holds for both parities.</summary>
    [Theory]
    [MemberData(nameof(Groups))]
    public void Order_two_element_is_rejected_whatever_the_exponent_parity(string name)
    {
        var group = DhGroup.FromName(name)!;
        var pMinus1 = Encode(group.Parameters.P.Subtract(BcBigInteger.One), group.ModulusLength);
        var even = DeterministicEntropy.Bytes32(name + "/parity", 0);
        even[^1] &= 0xFE;
        var odd = (byte[])even.Clone();
        odd[^1] |= 0x01;

        foreach (var exponent in new[] { even, odd })
        {
            var pair = DhKeyPair.FromPrivateExponent(group, exponent);
            Assert.False(pair.TryComputeSharedSecret(pMinus1, out var z));
            Assert.Empty(z);
        }
    }

    /// <summary>p−2 is in range but, p being 7 mod 8, a quadratic non-residue: its order is 2q, outside the prime-order
    /// subgroup that honest values (powers of g = 2) live in. The range check lets it pass; agreement must not.</summary>
    [Theory]
    [MemberData(nameof(Groups))]
    public void Value_outside_the_prime_order_subgroup_is_refused_by_agreement(string name)
    {
        var group = DhGroup.FromName(name)!;
        var pMinus2 = Encode(group.Parameters.P.Subtract(BcBigInteger.Two), group.ModulusLength);
        var pair = DhKeyPair.Generate(group, IEntropySource.System);

        Assert.True(DhKeyPair.IsValidPublicValue(group, pMinus2));
        Assert.False(pair.TryComputeSharedSecret(pMinus2, out var z));
        Assert.Empty(z);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void Generator_is_a_valid_peer_value(string name)
    {
        var group = DhGroup.FromName(name)!;
        var pair = DhKeyPair.Generate(group, IEntropySource.System);
        var two = Encode(BcBigInteger.Two, group.ModulusLength);

        Assert.True(DhKeyPair.IsValidPublicValue(group, two));
        Assert.True(pair.TryComputeSharedSecret(two, out var z));
        Assert.Equal(pair.PublicValue, z);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void FromPrivateExponent_is_deterministic(string name)
    {
        var group = DhGroup.FromName(name)!;
        var exponent = DeterministicEntropy.Bytes32(name + "/determinism", 0);

        var first = DhKeyPair.FromPrivateExponent(group, exponent);
        var second = DhKeyPair.FromPrivateExponent(group, exponent);

        Assert.Same(group, first.Group);
        Assert.Equal(first.PublicValue, second.PublicValue);
        Assert.NotEqual(first.PublicValue, DhKeyPair.FromPrivateExponent(group, DeterministicEntropy.Bytes32(name + "/determinism", 1)).PublicValue);
    }

    [Fact]
    public void FromPrivateExponent_prefixes_a_leading_bit_and_keeps_all_random_bits()
    {
        var zeroTop = new byte[DhKeyPair.PrivateExponentBytes];
        zeroTop[^1] = 5;
        var setTop = (byte[])zeroTop.Clone();
        setTop[0] = 0x80;

        // x = 2^256 + r: the top random bit still matters, and an all-zero r still gives a valid (non-1) Y.
        Assert.NotEqual(
            DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, zeroTop).PublicValue,
            DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, setTop).PublicValue);
        Assert.Equal(Reference(DhGroup.Ffdhe2048, 2, zeroTop), DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, zeroTop).PublicValue);
        Assert.True(DhKeyPair.IsValidPublicValue(DhGroup.Ffdhe2048, DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, new byte[32]).PublicValue));
    }

    [Fact]
    public void Generate_draws_exactly_one_exponent_from_the_entropy_source()
    {
        var exponent = DeterministicEntropy.Bytes32("generate", 0);
        var entropy = new FixedEntropy(exponent);

        var pair = DhKeyPair.Generate(DhGroup.Ffdhe2048, entropy);

        Assert.Equal(1, entropy.Calls);
        Assert.Equal(DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, exponent).PublicValue, pair.PublicValue);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void FromPrivateExponent_rejects_a_wrong_length(int length) =>
        Assert.Throws<ArgumentException>(() => DhKeyPair.FromPrivateExponent(DhGroup.Ffdhe2048, new byte[length]));

    [Fact]
    public void Null_group_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => DhKeyPair.Generate(null!, IEntropySource.System));
        Assert.Throws<ArgumentNullException>(() => DhKeyPair.Generate(DhGroup.Ffdhe2048, null!));
        Assert.Throws<ArgumentNullException>(() => DhKeyPair.FromPrivateExponent(null!, new byte[32]));
        Assert.Throws<ArgumentNullException>(() => DhKeyPair.IsValidPublicValue(null!, new byte[256]));
    }

    private static void AssertRejected(DhGroup group, byte[] encoded)
    {
        Assert.False(DhKeyPair.IsValidPublicValue(group, encoded));
        var pair = DhKeyPair.Generate(group, IEntropySource.System);
        Assert.False(pair.TryComputeSharedSecret(encoded, out var z));
        Assert.Empty(z);
    }

    private static (DhKeyPair Pair, byte[] Exponent) Search(string label, Func<byte[], DhKeyPair> make, Func<DhKeyPair, bool> wanted)
    {
        for (var i = 0; i < SearchLimit; i++)
        {
            var exponent = DeterministicEntropy.Bytes32(label, i);
            var pair = make(exponent);
            if (wanted(pair))
            {
                return (pair, exponent);
            }
        }

        throw new InvalidOperationException($"No exponent found for {label} in {SearchLimit} tries.");
    }

    private static byte[] Encode(BcBigInteger value, int length)
    {
        var magnitude = value.ToByteArrayUnsigned();
        var result = new byte[length];
        magnitude.CopyTo(result.AsSpan(length - magnitude.Length));
        return result;
    }

    /// <summary>base^x mod p with System.Numerics, where x = 2^256 + r as the wrapper documents.</summary>
    private static byte[] Reference(DhGroup group, NumericsBigInteger @base, byte[] exponent)
    {
        var x = (NumericsBigInteger.One << 256) + new NumericsBigInteger(exponent, isUnsigned: true, isBigEndian: true);
        var p = new NumericsBigInteger(group.Parameters.P.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        var y = NumericsBigInteger.ModPow(@base, x, p);
        var magnitude = y.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[group.ModulusLength];
        magnitude.CopyTo(result.AsSpan(result.Length - magnitude.Length));
        return result;
    }

    private static byte[] Reference(DhGroup group, byte[] @base, byte[] exponent) =>
        Reference(group, new NumericsBigInteger(@base, isUnsigned: true, isBigEndian: true), exponent);
}
