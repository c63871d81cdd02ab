using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

/// <summary>The certificate cache spares parsing and key imports but never a verdict: every check gives what an
/// uncached check gives, whatever validator, root or time it is judged with.</summary>
public sealed class CertificateCacheTests
{
    private static readonly TimeSpan[] JudgedAt = [TimeSpan.Zero, TimeSpan.FromDays(-45), TimeSpan.FromDays(45), TimeSpan.FromDays(800)];

    [Theory]
    [MemberData(nameof(CertificateValidatorTests.Matrix), MemberType = typeof(CertificateValidatorTests))]
    public void Cached_and_uncached_checks_agree_for_every_failure_kind(string certificate, ExpectedPeer peer, string? name, CertificateFailure expected)
    {
        var source = Get(certificate);
        var uncached = new CertificateValidator(TestPki.Policy(peer, name));
        var cache = new CertificateCache();
        var cached = uncached.WithCache(cache);
        var pem = source.ExportCertificatePem();

        // Cold: parsed afresh; then admitted as a session would after its own check, and served from the cache.
        var cold = PemFiles.TryParsePeerCertificate(pem, cache)!;
        Assert.False(cold.IsShared);
        Assert.Equal(expected, cached.Validate(cold, TestPki.Now).Failure);
        var shared = cache.Admit(cold);
        var warm = PemFiles.TryParsePeerCertificate(pem, cache)!;
        Assert.Same(shared, warm);

        var chain = cached.CheckChain(warm, TestPki.Now);
        foreach (var offset in JudgedAt)
        {
            var at = TestPki.Now + offset;
            var reference = uncached.Validate(source, at);
            Assert.Equal(reference, cached.Validate(warm, at));
            Assert.Equal(reference, cached.Judge(warm, chain, at));
        }
    }

    [Fact]
    public void Malformed_certificates_get_the_same_verdict_through_the_split_check()
    {
        var der = TestPki.Server.RawData;
        var validator = new CertificateValidator(TestPki.ServerPolicy());
        for (var i = 0; i < der.Length; i += 7)
        {
            var mutated = (byte[])der.Clone();
            mutated[i] ^= 0x5A;
            using var parsed = ParsedCertificate.TryLoad(mutated);
            if (parsed is null)
            {
                continue;
            }

            var reference = validator.Validate(parsed.Certificate, TestPki.Now);
            Assert.Equal(reference, validator.Judge(parsed, validator.CheckChain(parsed, TestPki.Now.AddDays(3)), TestPki.Now));
        }
    }

    [Fact]
    public void An_expired_issuing_CA_is_judged_at_each_time_from_one_chain_verdict()
    {
        var (anchor, leaf) = TestPki.ShortLivedCaAndLeaf();
        using var disposeAnchor = anchor;
        using var disposeLeaf = leaf;
        var validator = new CertificateValidator(new CertificatePolicy { Root = anchor, Peer = ExpectedPeer.Server, ExpectedName = "server.local" });
        using var parsed = ParsedCertificate.TryLoad(leaf.RawData)!;

        var chain = validator.CheckChain(parsed, TestPki.Now.AddDays(-2));

        Assert.True(validator.Judge(parsed, chain, TestPki.Now.AddDays(-2)).IsValid);
        var late = validator.Judge(parsed, chain, TestPki.Now);
        Assert.Equal(CertificateFailure.Expired, late.Failure);
        Assert.StartsWith("issuing CA certificate expired", late.Reason, StringComparison.Ordinal);
        Assert.Equal(validator.Validate(leaf, TestPki.Now), late);
    }

    [Fact]
    public void A_cached_certificate_is_still_rejected_by_a_validator_that_revokes_it()
    {
        var cache = new CertificateCache();
        var lenient = new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.Root,
            Peer = ExpectedPeer.Server,
            ExpectedName = TestPki.ServerName,
            Cache = cache,
        });
        var strict = new CertificateValidator(TestPki.ServerPolicy()).WithCache(cache);
        var pem = TestPki.Revoked.ExportCertificatePem();

        var first = PemFiles.TryParsePeerCertificate(pem, cache)!;
        Assert.True(lenient.Validate(first, TestPki.Now).IsValid);
        var shared = cache.Admit(first);
        var lenientChain = lenient.CheckChain(shared, TestPki.Now);

        var again = PemFiles.TryParsePeerCertificate(pem, strict.Cache)!;
        Assert.Same(shared, again);
        Assert.Equal(CertificateFailure.Revoked, strict.Validate(again, TestPki.Now).Failure);
        Assert.Equal(CertificateFailure.Revoked, strict.Judge(again, strict.CheckChain(again, TestPki.Now), TestPki.Now).Failure);

        // Same root, so the lenient validator's chain verdict may be judged by the strict one: revocation still wins.
        Assert.Equal(CertificateFailure.Revoked, strict.Judge(again, lenientChain, TestPki.Now).Failure);
    }

    [Fact]
    public void A_cache_shared_between_validators_of_different_roots_leaks_no_verdict()
    {
        var cache = new CertificateCache();
        var ours = new CertificateValidator(TestPki.ServerPolicy()).WithCache(cache);
        var theirs = new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.OtherRoot,
            Peer = ExpectedPeer.Server,
            ExpectedName = TestPki.ServerName,
            Cache = cache,
        });

        var ourLeaf = cache.Admit(PemFiles.TryParsePeerCertificate(TestPki.Server.ExportCertificatePem(), cache)!);
        var ourChain = ours.CheckChain(ourLeaf, TestPki.Now);
        Assert.True(ours.Judge(ourLeaf, ourChain, TestPki.Now).IsValid);
        var theirLeaf = cache.Admit(PemFiles.TryParsePeerCertificate(TestPki.IssuedByOtherCa.ExportCertificatePem(), cache)!);
        Assert.True(theirs.Validate(theirLeaf, TestPki.Now).IsValid);

        Assert.Equal(CertificateFailure.UntrustedIssuer, theirs.Validate(ourLeaf, TestPki.Now).Failure);
        Assert.Equal(CertificateFailure.UntrustedIssuer, ours.Validate(theirLeaf, TestPki.Now).Failure);
        Assert.Throws<ArgumentException>(() => theirs.Judge(ourLeaf, ourChain, TestPki.Now));
        Assert.Throws<ArgumentException>(() => ours.Judge(theirLeaf, ourChain, TestPki.Now));
    }

    [Fact]
    public void A_hostile_pem_is_refused_even_when_its_certificate_is_cached()
    {
        var cache = new CertificateCache();
        var der = TestPki.Server.RawData;
        cache.Admit(ParsedCertificate.TryLoad(der)!);
        string Pem(byte[] body) => PemEncoding.WriteString("CERTIFICATE", body);

        string[] hostile =
        [
            Pem([.. der, 0x00]),
            Pem(der) + Pem(der),
            Pem(der).Replace("CERTIFICATE", "X509 CRL", StringComparison.Ordinal),
            Pem(der).Replace("-----END CERTIFICATE-----", "", StringComparison.Ordinal),
            Pem(der[..^1]),
        ];

        foreach (var pem in hostile)
        {
            Assert.Null(PemFiles.TryParseCertificate(pem));
            Assert.Null(PemFiles.TryParsePeerCertificate(pem, cache));
        }

        Assert.True(PemFiles.TryParsePeerCertificate(Pem(der), cache)!.IsShared);
    }

    [Fact]
    public void A_certificate_with_bytes_after_its_der_is_never_admitted()
    {
        var cache = new CertificateCache();
        using var trailing = ParsedCertificate.TryLoad([.. TestPki.Server.RawData, 0x00])!;

        Assert.False(trailing.MatchesSourceDer);
        Assert.Same(trailing, cache.Admit(trailing));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded_and_what_it_drops_stays_usable()
    {
        var cache = new CertificateCache(capacity: 2);
        var first = cache.Admit(ParsedCertificate.TryLoad(TestPki.Server.RawData)!);
        cache.Admit(ParsedCertificate.TryLoad(TestPki.Client.RawData)!);
        cache.Admit(ParsedCertificate.TryLoad(TestPki.User.RawData)!);

        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(first.DerSha256Hex, out _));
        first.Dispose();
        Assert.Equal(TestPki.Server.Subject, first.Certificate.Subject);
        using var key = first.BorrowKey()!;
        Assert.False(key.OwnsKey);
        Assert.False(key.Verify("ctx", [1, 2, 3], new byte[256]));
    }

    [Fact]
    public void Admitting_the_same_der_twice_keeps_one_instance()
    {
        var cache = new CertificateCache();
        var kept = cache.Admit(ParsedCertificate.TryLoad(TestPki.User.RawData)!);
        var duplicate = ParsedCertificate.TryLoad(TestPki.User.RawData)!;

        Assert.Same(kept, cache.Admit(duplicate));
        Assert.Equal(1, cache.Count);
        Assert.Equal(TestPki.UserEmail, kept.Email);
        Assert.Equal(CertificateValidator.EmailOf(TestPki.User), kept.Email);
    }

    [Fact]
    public async Task Many_sessions_verify_concurrently_with_one_shared_key()
    {
        var cache = new CertificateCache();
        foreach (var author in new[] { TestPki.User, TestPki.EcdsaServer })
        {
            var shared = cache.Admit(ParsedCertificate.TryLoad(author.RawData)!);
            using var signer = new SigningKey(TestPki.PrivateKeyOf(author));
            var content = RandomNumberGenerator.GetBytes(64);
            var signature = signer.Sign("securechat/1 test", content);
            var forged = (byte[])signature.Clone();
            forged[^1] ^= 1;

            var sessions = Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            {
                var ok = true;
                for (var i = 0; i < 50; i++)
                {
                    // Each session borrows its own view and disposes it, as a chat session does when it ends.
                    using var key = shared.BorrowKey()!;
                    ok &= key.Verify("securechat/1 test", content, signature) && !key.Verify("securechat/1 test", content, forged);
                }

                return ok;
            }));

            Assert.All(await Task.WhenAll(sessions), Assert.True);
            using var after = shared.BorrowKey()!;
            Assert.True(after.Verify("securechat/1 test", content, signature));
        }
    }

    private static X509Certificate2 Get(string name) =>
        (X509Certificate2)typeof(TestPki).GetProperty(name)!.GetValue(null)!;
}
