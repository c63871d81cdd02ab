using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Agreement;
using SecureChat.Crypto;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using NetBigInteger = System.Numerics.BigInteger;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>ffdhe2048 with 257-bit private exponents (x = 2^256 + r): key generation and agreement as the protocol
/// does them, and the bare modular exponentiation Y^x mod p in two big-integer libraries for comparison.</summary>
[MemoryDiagnoser]
public class DhBenchmarks
{
    private DhKeyPair _own = null!;
    private byte[] _peerValue = null!;
    private NetBigInteger _netPeer;
    private NetBigInteger _netExponent;
    private NetBigInteger _netModulus;
    private BcBigInteger _bcPeer = null!;
    private BcBigInteger _bcExponent = null!;
    private BcBigInteger _bcModulus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _own = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System);
        _peerValue = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System).PublicValue;

        // The same shape of exponent as DhKeyPair: a leading 1 bit above 256 random bits.
        var exponent = new byte[DhKeyPair.PrivateExponentBytes + 1];
        exponent[0] = 0x01;
        IEntropySource.System.Fill(exponent.AsSpan(1));
        var modulus = DHStandardGroups.rfc7919_ffdhe2048.P.ToByteArrayUnsigned();

        _netPeer = new NetBigInteger(_peerValue, isUnsigned: true, isBigEndian: true);
        _netExponent = new NetBigInteger(exponent, isUnsigned: true, isBigEndian: true);
        _netModulus = new NetBigInteger(modulus, isUnsigned: true, isBigEndian: true);
        _bcPeer = new BcBigInteger(1, _peerValue);
        _bcExponent = new BcBigInteger(1, exponent);
        _bcModulus = new BcBigInteger(1, modulus);
        if (_netExponent.GetBitLength() != 257 || !NetModPow().Equals(new NetBigInteger(BcModPow().ToByteArrayUnsigned(), true, true)))
        {
            throw new InvalidOperationException("The two libraries disagree.");
        }
    }

    [Benchmark]
    public DhKeyPair Generate() => DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System);

    [Benchmark]
    public byte[] Agree() => _own.TryComputeSharedSecret(_peerValue, out var z) ? z : throw new InvalidOperationException();

    /// <summary>System.Numerics.BigInteger.ModPow, Y^x mod p with a 257-bit x.</summary>
    [Benchmark]
    public NetBigInteger NetModPow() => NetBigInteger.ModPow(_netPeer, _netExponent, _netModulus);

    /// <summary>BouncyCastle's BigInteger.ModPow on the same values.</summary>
    [Benchmark]
    public BcBigInteger BcModPow() => _bcPeer.ModPow(_bcExponent, _bcModulus);
}
