using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Crypto.Agreement;
using SecureChat.Crypto;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using NetBigInteger = System.Numerics.BigInteger;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>ffdhe2048 with 257-bit private exponents (x = 2^256 + r): key generation and agreement as the protocol
/// does them, once per DH backend (the value SECURECHAT_DH_BACKEND takes).</summary>
[MemoryDiagnoser]
public class DhBenchmarks
{
    private IDhBackend _backend = null!;
    private DhKeyPair _own = null!;
    private byte[] _peerValue = null!;

    [Params("bouncycastle", "openssl")]
    public string Backend { get; set; } = "openssl";

    [GlobalSetup]
    public void Setup()
    {
        _backend = DhBackends.Select(Backend);
        _own = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System, _backend);
        using var peer = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System, _backend);
        _peerValue = peer.PublicValue;
    }

    [GlobalCleanup]
    public void Cleanup() => _own.Dispose();

    /// <summary>A fresh pair, disposed as the protocol should: keygen plus wiping the exponent.</summary>
    [Benchmark]
    public byte[] Generate()
    {
        using var pair = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System, _backend);
        return pair.PublicValue;
    }

    /// <summary>Range check, subgroup check (Legendre symbol) and the exponentiation.</summary>
    [Benchmark]
    public byte[] Agree() => _own.TryComputeSharedSecret(_peerValue, out var z) ? z : throw new InvalidOperationException();
}

/// <summary>The bare modular exponentiation Y^x mod p with a 257-bit x in two managed big-integer libraries.</summary>
[MemoryDiagnoser]
public class DhModPowBenchmarks
{
    private NetBigInteger _netPeer;
    private NetBigInteger _netExponent;
    private NetBigInteger _netModulus;
    private BcBigInteger _bcPeer = null!;
    private BcBigInteger _bcExponent = null!;
    private BcBigInteger _bcModulus = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var peer = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System);
        var peerValue = peer.PublicValue;

        // The same shape of exponent as DhKeyPair: a leading 1 bit above 256 random bits.
        var exponent = new byte[DhKeyPair.PrivateExponentBytes + 1];
        exponent[0] = 0x01;
        IEntropySource.System.Fill(exponent.AsSpan(1));
        var modulus = DHStandardGroups.rfc7919_ffdhe2048.P.ToByteArrayUnsigned();

        _netPeer = new NetBigInteger(peerValue, isUnsigned: true, isBigEndian: true);
        _netExponent = new NetBigInteger(exponent, isUnsigned: true, isBigEndian: true);
        _netModulus = new NetBigInteger(modulus, isUnsigned: true, isBigEndian: true);
        _bcPeer = new BcBigInteger(1, peerValue);
        _bcExponent = new BcBigInteger(1, exponent);
        _bcModulus = new BcBigInteger(1, modulus);
        if (_netExponent.GetBitLength() != 257 || !NetModPow().Equals(new NetBigInteger(BcModPow().ToByteArrayUnsigned(), true, true)))
        {
            throw new InvalidOperationException("The two libraries disagree.");
        }
    }

    /// <summary>System.Numerics.BigInteger.ModPow, Y^x mod p with a 257-bit x.</summary>
    [Benchmark]
    public NetBigInteger NetModPow() => NetBigInteger.ModPow(_netPeer, _netExponent, _netModulus);

    /// <summary>BouncyCastle's BigInteger.ModPow on the same values.</summary>
    [Benchmark]
    public BcBigInteger BcModPow() => _bcPeer.ModPow(_bcExponent, _bcModulus);
}
