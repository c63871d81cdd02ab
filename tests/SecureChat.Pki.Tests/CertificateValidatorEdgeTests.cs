using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

public sealed class CertificateValidatorEdgeTests
{
    private static readonly CertificateValidator ServerValidator = new(TestPki.ServerPolicy());

    [Fact]
    public void Validity_is_judged_at_the_given_time_not_the_clock()
    {
        Assert.True(ServerValidator.Validate(TestPki.Expired, TestPki.Now.AddDays(-45)).IsValid);
        Assert.True(ServerValidator.Validate(TestPki.NotYetValid, TestPki.Now.AddDays(45)).IsValid);
        Assert.Equal(CertificateFailure.Expired, ServerValidator.Validate(TestPki.Server, TestPki.Now.AddYears(2)).Failure);
        Assert.Equal(CertificateFailure.NotYetValid, ServerValidator.Validate(TestPki.Server, TestPki.Now.AddDays(-2)).Failure);
    }

    [Fact]
    public void Validity_bounds_are_inclusive()
    {
        var notAfter = new DateTimeOffset(TestPki.Server.NotAfter);
        var notBefore = new DateTimeOffset(TestPki.Server.NotBefore);

        Assert.True(ServerValidator.Validate(TestPki.Server, notAfter).IsValid);
        Assert.True(ServerValidator.Validate(TestPki.Server, notBefore).IsValid);
        Assert.Equal(CertificateFailure.Expired, ServerValidator.Validate(TestPki.Server, notAfter.AddSeconds(1)).Failure);
        Assert.Equal(CertificateFailure.NotYetValid, ServerValidator.Validate(TestPki.Server, notBefore.AddSeconds(-1)).Failure);
    }

    [Fact]
    public void Expired_reason_names_the_date()
    {
        var check = ServerValidator.Validate(TestPki.Expired, DateTimeOffset.UtcNow);

        var date = TestPki.Expired.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"certificate expired on {date} UTC", check.Reason);
    }

    [Fact]
    public void An_expired_issuing_CA_is_reported()
    {
        var (anchor, leaf) = TestPki.ShortLivedCaAndLeaf();
        using var disposeAnchor = anchor;
        using var disposeLeaf = leaf;
        var validator = new CertificateValidator(new CertificatePolicy { Root = anchor, Peer = ExpectedPeer.Server, ExpectedName = "server.local" });

        var check = validator.Validate(leaf, TestPki.Now);

        Assert.Equal(CertificateFailure.Expired, check.Failure);
        Assert.StartsWith("issuing CA certificate expired", check.Reason, StringComparison.Ordinal);
        Assert.True(validator.Validate(leaf, TestPki.Now.AddDays(-2)).IsValid);
    }

    [Fact]
    public void Unknown_critical_extension_is_malformed()
    {
        var check = ServerValidator.Validate(SignedByRoot(r => r.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], true))), TestPki.Now);

        Assert.Equal(CertificateFailure.Malformed, check.Failure);
    }

    [Fact]
    public void Unknown_non_critical_extension_is_ignored()
    {
        var check = ServerValidator.Validate(SignedByRoot(r => r.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], false))), TestPki.Now);

        Assert.True(check.IsValid, check.Reason);
    }

    [Fact]
    public void Garbage_subject_alt_name_is_malformed_not_an_exception()
    {
        var check = ServerValidator.Validate(SignedByRoot(r => r.CertificateExtensions.Add(new X509Extension("2.5.29.17", [0x30, 0x05, 0x82, 0x09, 0x41], false))), TestPki.Now);

        Assert.Equal(CertificateFailure.Malformed, check.Failure);
    }

    [Fact]
    public void Repeated_extension_is_malformed()
    {
        // CertificateRequest refuses duplicates, so a placeholder OID of the same length is renamed after the fact.
        byte[] placeholder = [0x06, 0x03, 0x2A, 0x03, 0x04];
        byte[] extendedKeyUsage = [0x06, 0x03, 0x55, 0x1D, 0x25];
        var template = SignedByRoot(r =>
        {
            var serverAuth = new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") };
            r.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(serverAuth, false));
            r.CertificateExtensions.Add(new X509Extension(new Oid("1.2.3.4"), new X509EnhancedKeyUsageExtension(serverAuth, false).RawData, false));
        });
        using var repeated = ResignWithRoot(template.RawData, tbs => Replace(tbs, placeholder, extendedKeyUsage));

        var check = ServerValidator.Validate(repeated, TestPki.Now);

        Assert.Equal(CertificateFailure.Malformed, check.Failure);
        Assert.Contains("repeats extension 2.5.29.37", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_certificates_never_throw_and_never_pass()
    {
        var random = new Random(20240601);
        var original = TestPki.Server.RawData;
        for (var i = 0; i < 400; i++)
        {
            var mutated = (byte[])original.Clone();
            var position = random.Next(mutated.Length);
            mutated[position] ^= (byte)(1 << random.Next(8));
            using var parsed = PemFiles.TryParseCertificate(new string(PemEncoding.Write("CERTIFICATE", mutated)));
            if (parsed is null)
            {
                continue;
            }

            var check = ServerValidator.Validate(parsed, TestPki.Now);
            Assert.False(check.IsValid, $"bit flip at byte {position} still validated");
            Assert.False(CertificateValidator.MatchesEmail(parsed, TestPki.UserEmail));
        }
    }

    [Fact]
    public void Name_in_the_reason_is_sanitised()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = CertificateAuthority.Issue(
            TestPki.RootWithKey, CertificateRole.Client, "evil\nname'" + new string('x', 200), KeyKind.EcdsaP256, now.AddMinutes(-1), now.AddDays(1));

        var check = new CertificateValidator(TestPki.ClientPolicy()).Validate(leaf, now);

        Assert.Equal(CertificateFailure.NameMismatch, check.Failure);
        Assert.DoesNotContain('\n', check.Reason);
        Assert.True(check.Reason.Length < 120, check.Reason);
    }

    [Fact]
    public void Null_expected_name_skips_the_name_check()
    {
        Assert.True(new CertificateValidator(TestPki.ServerPolicy(null)).Validate(TestPki.WrongName, TestPki.Now).IsValid);
    }

    [Fact]
    public void Revoked_serials_in_the_policy_are_normalised()
    {
        var formatted = string.Join(':', Convert.FromHexString(TestPki.Server.SerialNumber).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        var validator = new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.Root,
            Peer = ExpectedPeer.Server,
            RevokedSerials = new HashSet<string> { "00" + formatted },
        });

        Assert.Equal(CertificateFailure.Revoked, validator.Validate(TestPki.Server, TestPki.Now).Failure);
        Assert.Throws<ArgumentException>(() => new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.Root,
            Peer = ExpectedPeer.Server,
            RevokedSerials = new HashSet<string> { "not hex" },
        }));
    }

    [Fact]
    public void Validator_is_safe_to_share_between_threads()
    {
        var results = new bool[64];
        Parallel.For(0, results.Length, i => results[i] = ServerValidator.Validate(TestPki.Server, TestPki.Now).IsValid);

        Assert.All(results, Assert.True);
    }

    [Theory]
    [InlineData(TestPki.UserEmail, true)]
    [InlineData("ALICE@Example.COM", true)]
    [InlineData("bob@example.com", false)]
    [InlineData("", false)]
    [InlineData(" ", false)]
    public void MatchesEmail_compares_CN_and_rfc822_name_ignoring_case(string email, bool expected) =>
        Assert.Equal(expected, CertificateValidator.MatchesEmail(TestPki.User, email));

    [Fact]
    public void MatchesEmail_uses_the_subject_alt_name_when_the_CN_differs()
    {
        var leaf = SignedByRoot(r =>
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddEmailAddress("carol@example.com");
            r.CertificateExtensions.Add(names.Build());
        });

        Assert.True(CertificateValidator.MatchesEmail(leaf, "carol@example.com"));
        Assert.False(CertificateValidator.MatchesEmail(leaf, "server.local@example.com"));
        Assert.False(CertificateValidator.MatchesEmail(TestPki.Server, TestPki.UserEmail));
    }

    // A server.local leaf without extensions other than those added by the test, signed by the test root.
    private static X509Certificate2 SignedByRoot(Action<CertificateRequest> configure)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=server.local", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        configure(request);
        using var rootKey = TestPki.RootWithKey.GetRSAPrivateKey()!;
        return request.Create(
            TestPki.Root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30), CertificateAuthority.NewSerialNumber());
    }

    private static X509Certificate2 ResignWithRoot(byte[] certificate, Func<byte[], byte[]> editTbs)
    {
        var outer = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
        var tbs = editTbs(outer.ReadEncodedValue().ToArray());
        var algorithm = outer.ReadEncodedValue().ToArray();
        using var rootKey = TestPki.RootWithKey.GetRSAPrivateKey()!;
        var signature = rootKey.SignData(tbs, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs);
            writer.WriteEncodedValue(algorithm);
            writer.WriteBitString(signature);
        }

        return X509CertificateLoader.LoadCertificate(writer.Encode());
    }

    private static byte[] Replace(byte[] data, byte[] from, byte[] to)
    {
        var index = data.AsSpan().IndexOf(from);
        Assert.True(index >= 0, "placeholder not found");
        var result = (byte[])data.Clone();
        to.CopyTo(result, index);
        return result;
    }
}
