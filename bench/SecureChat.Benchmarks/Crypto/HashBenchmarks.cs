using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>SHA-256 of one canonical transcript line (protocol §4.6) of a 100-byte message, the unit of the
/// transcript chains.</summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private byte[] _line = null!;

    [GlobalSetup]
    public void Setup()
    {
        _line = Encoding.UTF8.GetBytes(MessageChains.Line(Direction.ClientToServer, SampleMessages.Msg(textBytes: 100)));
    }

    [Benchmark]
    public byte[] Sha256Line() => SHA256.HashData(_line);
}
