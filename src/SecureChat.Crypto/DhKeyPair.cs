using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace SecureChat.Crypto;

/// <summary>An ephemeral finite-field DH key pair over a named group (protocol §2).</summary>
/// <remarks>The arithmetic is done by the process-wide backend (<see cref="DhBackends"/>): the system OpenSSL where it
/// loads, BouncyCastle otherwise; both give byte-identical results. Dispose the pair once its shared secrets are
/// computed: with the OpenSSL backend that zeroes the private exponent at once instead of at finalization.</remarks>
public sealed class DhKeyPair : IDisposable
{
    /// <summary>Random bytes in a private exponent: 256 bits, above RFC 7919's minimum for ffdhe2048 (225 bits).</summary>
    public const int PrivateExponentBytes = 32;

    private readonly IDhPrivateKey _privateKey;
    private bool _disposed;

    private DhKeyPair(DhGroup group, IDhBackend backend, IDhPrivateKey privateKey)
    {
        Group = group;
        Backend = backend;
        _privateKey = privateKey;
    }

    /// <summary>The group this key belongs to.</summary>
    public DhGroup Group { get; }

    /// <summary>The backend that holds the exponent, so tests can see which one is really in use.</summary>
    internal IDhBackend Backend { get; }

    /// <summary>The public value Y = g^x mod p, big-endian, exactly the modulus length.</summary>
    public byte[] PublicValue => _privateKey.PublicValue;

    /// <summary>Generates a fresh key pair with a 256-bit exponent drawn from <paramref name="entropy"/>.</summary>
    public static DhKeyPair Generate(DhGroup group, IEntropySource entropy) => Generate(group, entropy, DhBackends.Default);

    /// <summary>Builds a key pair from 32 random bytes r (known-answer tests, benchmarks): x = 2^256 + r.</summary>
    /// <remarks>The extra leading bit keeps every exponent at 257 bits and never zero while all 256 random bits
    /// count, so the exponent has "at least 256 bits" both in length and in entropy.</remarks>
    public static DhKeyPair FromPrivateExponent(DhGroup group, ReadOnlySpan<byte> exponent) =>
        FromPrivateExponent(group, exponent, DhBackends.Default);

    internal static DhKeyPair Generate(DhGroup group, IEntropySource entropy, IDhBackend backend)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(entropy);
        Span<byte> exponent = stackalloc byte[PrivateExponentBytes];
        entropy.Fill(exponent);
        try
        {
            return FromPrivateExponent(group, exponent, backend);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exponent);
        }
    }

    internal static DhKeyPair FromPrivateExponent(DhGroup group, ReadOnlySpan<byte> exponent, IDhBackend backend)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(backend);
        if (exponent.Length != PrivateExponentBytes)
        {
            throw new ArgumentException($"The private exponent must be {PrivateExponentBytes} bytes.", nameof(exponent));
        }

        Span<byte> x = stackalloc byte[PrivateExponentBytes + 1];
        x[0] = 0x01;
        exponent.CopyTo(x[1..]);
        try
        {
            return new DhKeyPair(group, backend, backend.CreateKey(group, x));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x);
        }
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
    /// <exception cref="ObjectDisposedException">The pair has been disposed.</exception>
    public bool TryComputeSharedSecret(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        sharedSecret = [];
        if (!IsValidPublicValue(Group, peerPublicValue))
        {
            return false;
        }

        // The range check above is shared; the backend adds the prime-order subgroup check (Legendre symbol).
        var z = new byte[Group.ModulusLength];
        if (!_privateKey.TryAgree(peerPublicValue, z) || IsOne(z))
        {
            CryptographicOperations.ZeroMemory(z);
            return false;
        }

        sharedSecret = z;
        return true;
    }

    /// <summary>Releases the private exponent (wiping it where the backend can). <see cref="PublicValue"/> stays
    /// readable; <see cref="TryComputeSharedSecret"/> throws afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _privateKey.Dispose();
    }

    private static bool IsOne(ReadOnlySpan<byte> value) =>
        value[^1] == 1 && !value[..^1].ContainsAnyExcept((byte)0);
}
