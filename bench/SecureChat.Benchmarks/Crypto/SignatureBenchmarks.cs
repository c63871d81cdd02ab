using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureChat.Crypto;
using SecureChat.Protocol;
using SecureChat.Protocol.Handshake;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>One protocol signature (<c>0x20*64 || context || 0x00 || content</c>) over the content of a
/// <c>dh_client</c> (TH || group || 0x00 || A, 298 bytes), made and checked through the protocol's key wrappers.</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private SigningKey _rsaSigner = null!;
    private VerificationKey _rsaVerifier = null!;
    private SigningKey _ecdsaSigner = null!;
    private VerificationKey _ecdsaVerifier = null!;
    private byte[] _content = null!;
    private byte[] _rsaSignature = null!;
    private byte[] _ecdsaSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rsa = RSA.Create(2048);
        _rsaVerifier = new VerificationKey(RSA.Create(rsa.ExportParameters(includePrivateParameters: false)));
        _rsaSigner = new SigningKey(rsa);
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _ecdsaVerifier = new VerificationKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false)));
        _ecdsaSigner = new SigningKey(ecdsa);

        var share = DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System);
        _content = DhSignatures.ClientContent(SHA256.HashData("server_hello"u8), DhGroup.Ffdhe2048.Name, share.PublicValue);
        _rsaSignature = _rsaSigner.Sign(Labels.DhClientAuth, _content);
        _ecdsaSignature = _ecdsaSigner.Sign(Labels.DhClientAuth, _content);
        if (!RsaPssVerify() || !EcdsaVerify())
        {
            throw new InvalidOperationException("The benchmark signatures do not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsaSigner.Dispose();
        _rsaVerifier.Dispose();
        _ecdsaSigner.Dispose();
        _ecdsaVerifier.Dispose();
    }

    [Benchmark]
    public byte[] RsaPssSign() => _rsaSigner.Sign(Labels.DhClientAuth, _content);

    [Benchmark]
    public bool RsaPssVerify() => _rsaVerifier.Verify(Labels.DhClientAuth, _content, _rsaSignature);

    [Benchmark]
    public byte[] EcdsaSign() => _ecdsaSigner.Sign(Labels.DhClientAuth, _content);

    [Benchmark]
    public bool EcdsaVerify() => _ecdsaVerifier.Verify(Labels.DhClientAuth, _content, _ecdsaSignature);
}
