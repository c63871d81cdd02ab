using BenchmarkDotNet.Attributes;
using SecureChat.Crypto;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>Argon2id (BouncyCastle, managed) as the server runs it for every register and login (protocol §7).</summary>
[MemoryDiagnoser]
public class PasswordHashBenchmarks
{
    private const string Password = "correct horse battery staple";

    private readonly PasswordHasher _owasp = new(Argon2Parameters.Default, IEntropySource.System);
    private readonly PasswordHasher _test = new(Argon2Parameters.InsecureForTests, IEntropySource.System);

    /// <summary>m = 19 MiB, t = 2, p = 1: the cost of one login on the server.</summary>
    [Benchmark]
    public string Argon2idOwasp() => _owasp.Hash(Password);

    /// <summary>m = 64 KiB, t = 1, p = 1: what the test suites pay instead.</summary>
    [Benchmark]
    public string Argon2idTest() => _test.Hash(Password);
}
