using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Crypto;
using SecureChat.Pki;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>What each side does with the peer's hello certificate (protocol §4.1, §6): parse the PEM, validate it
/// against the Root CA with <see cref="X509Chain"/> (one RSA signature check plus the policy), take its key.</summary>
[MemoryDiagnoser]
public class CertificateBenchmarks
{
    private CertificateValidator _validator = null!;
    private string _pem = null!;
    private X509Certificate2 _certificate = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _validator = BenchPki.ServerValidator();
        _pem = BenchPki.Server.ExportCertificatePem();
        _certificate = X509CertificateLoader.LoadCertificate(BenchPki.Server.RawData);
        _now = DateTimeOffset.UtcNow;
        if (!Validate())
        {
            throw new InvalidOperationException("The benchmark certificate does not validate.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _certificate.Dispose();

    [Benchmark]
    public int ParsePem()
    {
        using var certificate = PemFiles.TryParseCertificate(_pem)!;
        return certificate.RawData.Length;
    }

    [Benchmark]
    public bool Validate() => _validator.Validate(_certificate, _now).IsValid;

    [Benchmark]
    public int KeyFromCertificate()
    {
        using var key = VerificationKey.FromCertificate(_certificate)!;
        return 1;
    }

    /// <summary>All three, as <c>AcceptPeerHello</c> runs them.</summary>
    [Benchmark]
    public bool AcceptPeerCertificate()
    {
        using var certificate = PemFiles.TryParseCertificate(_pem)!;
        using var key = VerificationKey.FromCertificate(certificate)!;
        return _validator.Validate(certificate, _now).IsValid;
    }
}
