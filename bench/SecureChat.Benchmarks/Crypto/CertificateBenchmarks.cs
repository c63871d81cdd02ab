using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Crypto;

/// <summary>What each side does with the peer's hello certificate (protocol §4.1, §6): parse the PEM, validate it
/// against the Root CA with <see cref="X509Chain"/> (one RSA signature check plus the policy), take its key; and what a
/// recipient does with the author certificate of each relayed copy (§9.6.3). "Cached" variants take the parse and the
/// key import from a <see cref="CertificateCache"/> (and, for origins, the chain verdict from the verifier's memory).</summary>
[MemoryDiagnoser]
public class CertificateBenchmarks
{
    private CertificateValidator _validator = null!;
    private CertificateValidator _cachingValidator = null!;
    private CertificateValidator _authors = null!;
    private OriginVerifier _warmVerifier = null!;
    private ChatPlaintext _relayedCopy = null!;
    private long _copyTs;
    private string _pem = null!;
    private X509Certificate2 _certificate = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _validator = BenchPki.ServerValidator();
        _cachingValidator = _validator.WithCache(new CertificateCache());
        _pem = BenchPki.Server.ExportCertificatePem();
        _certificate = X509CertificateLoader.LoadCertificate(BenchPki.Server.RawData);
        _now = DateTimeOffset.UtcNow;
        _authors = BenchPki.ClientValidator().ForPeer(ExpectedPeer.Client, null);
        _copyTs = _now.ToUnixTimeMilliseconds();
        _relayedCopy = RelayedCopy(BenchPki.Client, "hello", _copyTs);
        _warmVerifier = new OriginVerifier(_authors.WithCache(new CertificateCache()), TimeSpan.FromMinutes(5), 16384, "bob");
        if (!Validate() || !AcceptPeerCertificateCached() || OriginVerifyCold() != OriginVerifyCached())
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

    /// <summary>All three, as <c>AcceptPeerHello</c> ran them before the cache (and still does without one).</summary>
    [Benchmark]
    public bool AcceptPeerCertificate()
    {
        using var certificate = PemFiles.TryParseCertificate(_pem)!;
        using var key = VerificationKey.FromCertificate(certificate)!;
        return _validator.Validate(certificate, _now).IsValid;
    }

    /// <summary>As <c>AcceptPeerHello</c> runs with a warm cache: the strict PEM parse down to the DER, a cache hit,
    /// the chain and policy checked for this session, a borrowed view of the cached key.</summary>
    [Benchmark]
    public bool AcceptPeerCertificateCached()
    {
        var parsed = PemFiles.TryParsePeerCertificate(_pem, _cachingValidator.Cache)!;
        var valid = _cachingValidator.Validate(parsed, _now).IsValid;
        parsed = _cachingValidator.Cache!.Admit(parsed);
        using var key = parsed.BorrowKey()!;
        return valid;
    }

    /// <summary>One relayed copy verified by a verifier that has not seen its author certificate (no cache).</summary>
    [Benchmark]
    public string OriginVerifyCold() =>
        new OriginVerifier(_authors, TimeSpan.FromMinutes(5), 16384, "bob").Verify(_relayedCopy, _copyTs).CertificateSha256;

    /// <summary>The same copy verified by the session's verifier that has seen the author certificate before: no
    /// parse, chain or import, but revocation, validity at the copy's ts, signature and the rest still checked.</summary>
    [Benchmark]
    public string OriginVerifyCached() => _warmVerifier.Verify(_relayedCopy, _copyTs).CertificateSha256;

    /// <summary>A copy marked as history, so that the replay check lets the same copy be verified again and again.</summary>
    private static ChatPlaintext RelayedCopy(X509Certificate2 author, string text, long ts)
    {
        var sessionId = RandomNumberGenerator.GetBytes(16);
        var plaintext = MessageCodec.Encode(new ChatPlaintext
        {
            Text = text,
            R = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MessageEnvelope.CommitRandomLength)),
            To = AuthorOrigin.DefaultRoom,
        });
        using var identity = new LocalIdentity(author);
        var message = MessageEnvelope.Seal(RandomNumberGenerator.GetBytes(16), sessionId, Direction.ClientToServer, 1, ts, plaintext, identity.SigningKey);
        var origin = new MessageOrigin
        {
            SessionId = Convert.ToHexStringLower(sessionId),
            Seqno = 1,
            Ts = ts,
            Ct = message.Ct,
            Commit = message.Commit,
            Sig = message.Sig,
            Plaintext = Convert.ToBase64String(plaintext),
            Cert = Convert.ToBase64String(author.RawData),
        };
        return new ChatPlaintext { Text = text, R = "AAAAAAAAAAAAAAAAAAAAAA==", From = "alice", Ts = ts, Origin = origin, Mark = "history" };
    }
}
