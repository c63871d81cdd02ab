using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace SecureChat.Crypto;

/// <summary>An ephemeral finite-field DH key pair over a named group (protocol §2).</summary>
public sealed class DhKeyPair
{
    /// <summary>Random bytes in a private exponent: 256 bits, above RFC 7919's minimum for ffdhe2048 (225 bits).</summary>
    public const int PrivateExponentBytes = 32;

    private readonly DHPrivateKeyParameters _privateKey;

    private DhKeyPair(DhGroup group, BigInteger x)
    {
        Group = group;
        _privateKey = new DHPrivateKeyParameters(x, group.Parameters);
        var y = group.Parameters.G.ModPow(x, group.Parameters.P);
        PublicValue = ToFixedLength(y, group.ModulusLength);
    }

    /// <summary>The group this key belongs to.</summary>
    public DhGroup Group { get; }

    /// <summary>The public value Y = g^x mod p, big-endian, exactly the modulus length.</summary>
    public byte[] PublicValue { get; }

    /// <summary>Generates a fresh key pair with a 256-bit exponent drawn from <paramref name="entropy"/>.</summary>
    public static DhKeyPair Generate(DhGroup group, IEntropySource entropy)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(entropy);
        Span<byte> exponent = stackalloc byte[PrivateExponentBytes];
        entropy.Fill(exponent);
        try
        {
            return FromPrivateExponent(group, exponent);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exponent);
        }
    }

    /// <summary>Builds a key pair from 32 random bytes r (known-answer tests, benchmarks): x = 2^256 + r.</summary>
    /// <remarks>The extra leading bit keeps every exponent at 257 bits and never zero while all 256 random bits
    /// count, so the exponent has "at least 256 bits" both in length and in entropy.</remarks>
    public static DhKeyPair FromPrivateExponent(DhGroup group, ReadOnlySpan<byte> exponent)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (exponent.Length != PrivateExponentBytes)
        {
            throw new ArgumentException($"The private exponent must be {PrivateExponentBytes} bytes.", nameof(exponent));
        }

        var bytes = new byte[PrivateExponentBytes + 1];
        bytes[0] = 0x01;
        exponent.CopyTo(bytes.AsSpan(1));
        var x = new BigInteger(1, bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return new DhKeyPair(group, x);
    }

    /// <summary>Checks that <paramref name="value"/> is a well-formed public value for <paramref name="group"/>:
    /// exactly the modulus length and 1 &lt; Y &lt; p−1.</summary>
    public static bool IsValidPublicValue(DhGroup group, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (value.Length != group.ModulusLength)
        {
            return false;
        }

        var y = new BigInteger(1, value);
        var p = group.Parameters.P;
        return y.CompareTo(BigInteger.One) > 0 && y.CompareTo(p.Subtract(BigInteger.One)) < 0;
    }

    /// <summary>Computes the shared secret Z with the peer's public value.</summary>
    /// <returns><see langword="false"/> if the peer value is malformed, outside the group, or Z would be 1.</returns>
    public bool TryComputeSharedSecret(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        if (!IsValidPublicValue(Group, peerPublicValue))
        {
            return false;
        }

        DHPublicKeyParameters peer;
        try
        {
            peer = new DHPublicKeyParameters(new BigInteger(1, peerPublicValue), Group.Parameters);
        }
        catch (ArgumentException)
        {
            // BouncyCastle also refuses values outside the prime-order subgroup.
            return false;
        }

        var agreement = new DHBasicAgreement();
        agreement.Init(_privateKey);
        BigInteger z;
        try
        {
            z = agreement.CalculateAgreement(peer);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        if (z.Equals(BigInteger.One))
        {
            return false;
        }

        sharedSecret = ToFixedLength(z, Group.ModulusLength);
        return true;
    }

    private static byte[] ToFixedLength(BigInteger value, int length)
    {
        var result = new byte[length];
        var magnitude = value.ToByteArrayUnsigned();
        magnitude.CopyTo(result.AsSpan(length - magnitude.Length));
        CryptographicOperations.ZeroMemory(magnitude);
        return result;
    }
}
