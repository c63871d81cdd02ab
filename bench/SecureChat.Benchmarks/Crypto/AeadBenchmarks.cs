using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureChat.Crypto;
using SecureChat.Protocol;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>AES-128-GCM through <see cref="Aead"/> with a <c>msg</c> nonce and AAD (protocol §4.5).</summary>
[MemoryDiagnoser]
public class AeadBenchmarks
{
    private byte[] _key = null!;
    private byte[] _nonce = null!;
    private byte[] _associatedData = null!;
    private byte[] _plaintext = null!;
    private byte[] _sealed = null!;

    [Params(100, 16 * 1024)]
    public int PlaintextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = RandomNumberGenerator.GetBytes(Aead.KeyLength);
        _nonce = AuthCipher.Nonce(42);
        _associatedData = MessageEnvelope.AssociatedData(
            MessageEnvelope.Meta(RandomNumberGenerator.GetBytes(16), Direction.ClientToServer, 42, 1_700_000_000_000));
        _plaintext = RandomNumberGenerator.GetBytes(PlaintextBytes);
        _sealed = Seal();
    }

    [Benchmark]
    public byte[] Seal() => Aead.Seal(_key, _nonce, _associatedData, _plaintext);

    [Benchmark]
    public byte[] Open() => Aead.TryOpen(_key, _nonce, _associatedData, _sealed, out var plaintext)
        ? plaintext
        : throw new InvalidOperationException("The benchmark ciphertext does not open.");
}
