using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureChat.Protocol.Handshake;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>The HKDF-SHA256 key schedule of protocol §4.2 and §4.4, once per phase (keys zeroed on dispose,
/// as in the protocol).</summary>
[MemoryDiagnoser]
public class KdfBenchmarks
{
    private byte[] _z1 = null!;
    private byte[] _z2 = null!;
    private byte[] _th1 = null!;
    private byte[] _th2 = null!;
    private byte[] _authSecret = null!;

    [GlobalSetup]
    public void Setup()
    {
        _z1 = RandomNumberGenerator.GetBytes(256);
        _z2 = RandomNumberGenerator.GetBytes(256);
        _th1 = RandomNumberGenerator.GetBytes(32);
        _th2 = RandomNumberGenerator.GetBytes(32);
        using var auth = KeySchedule.DeriveAuthKeys(_z1, _th1);
        _authSecret = auth.AuthSecret.ToArray();
    }

    [Benchmark]
    public int DeriveAuthKeys()
    {
        using var keys = KeySchedule.DeriveAuthKeys(_z1, _th1);
        return keys.ClientToServer[0];
    }

    [Benchmark]
    public int DeriveChatKeys()
    {
        using var keys = KeySchedule.DeriveChatKeys(_authSecret, _z2, _th2);
        return keys.ClientToServer[0];
    }
}
