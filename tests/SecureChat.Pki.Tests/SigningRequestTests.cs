using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

/// <summary>Enrolment by signing request: the user keeps the key, the CA signs only its public key under the name it
/// checked, and builds the certificate exactly as it builds a per-user certificate for a key of its own.</summary>
public sealed class SigningRequestTests : IDisposable
{
    private const string Email = "alice@example.com";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(KeyKind.Rsa2048)]
    [InlineData(KeyKind.Rsa3072)]
    [InlineData(KeyKind.EcdsaP256)]
    public void A_request_for_each_key_kind_becomes_a_valid_user_certificate_for_that_key(KeyKind kind)
    {
        using var key = CertificateAuthority.GenerateKey(kind);
        var request = SigningRequest.FromDer(SigningRequest.Create(Email, key));

        using var certificate = Sign(request, Email);

        Assert.False(certificate.HasPrivateKey);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal([Email, Email], request.Names);
        var check = new CertificateValidator(TestPki.Policy(ExpectedPeer.Client, null)).Validate(certificate, DateTimeOffset.UtcNow);
        Assert.True(check.IsValid, check.Reason);
        Assert.True(CertificateValidator.MatchesEmail(certificate, Email));
        Assert.Equal(Email, certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false));
    }

    [Theory]
    [InlineData(KeyKind.Rsa2048)]
    [InlineData(KeyKind.EcdsaP256)]
    public void The_signed_certificate_has_exactly_the_extensions_of_an_issued_user_certificate(KeyKind kind)
    {
        using var key = CertificateAuthority.GenerateKey(kind);
        var now = DateTimeOffset.UtcNow;
        using var issued = CertificateAuthority.Issue(TestPki.RootWithKey, CertificateRole.User, Email, key, now.AddMinutes(-5), now.AddDays(30));

        using var signed = Sign(SigningRequest.FromDer(SigningRequest.Create(Email, key)), Email);

        Assert.Equal(issued.SubjectName.RawData, signed.SubjectName.RawData);
        Assert.Equal(Describe(issued), Describe(signed));
    }

    [Fact]
    public void Extensions_asked_for_in_the_request_are_not_copied()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Email}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress(Email);
        names.AddDnsName("server.local");
        request.CertificateExtensions.Add(names.Build(false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("2.5.29.37.0")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.DataEncipherment, true));
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], true));

        using var certificate = Sign(SigningRequest.FromDer(request.CreateSigningRequest()), Email);

        Assert.Null(certificate.Extensions["1.3.6.1.4.1.99999.1"]);
        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages;
        Assert.Equal(ClientAuth, Assert.Single(eku.Cast<Oid>()).Value);
        var usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages;
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, usage);
        var altNames = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Empty(altNames.EnumerateDnsNames());
    }

    [Theory]
    [InlineData(KeyKind.Rsa2048)]
    [InlineData(KeyKind.EcdsaP256)]
    public void A_request_with_a_flipped_signature_byte_is_refused(KeyKind kind)
    {
        using var key = CertificateAuthority.GenerateKey(kind);
        var der = SigningRequest.Create(Email, key);

        // The signature BIT STRING is the last element of the request, so the last byte belongs to the signature.
        der[^1] ^= 0x01;

        var refused = Assert.Throws<PkiException>(() => SigningRequest.FromDer(der));
        Assert.Contains("signature that does not verify", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_whose_signed_content_was_changed_is_refused()
    {
        using var key = RSA.Create(2048);
        var der = SigningRequest.Create(Email, key);
        var at = der.AsSpan().IndexOf("alice"u8);

        der[at] = (byte)'m';

        Assert.Contains("signature that does not verify", Assert.Throws<PkiException>(() => SigningRequest.FromDer(der)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CN=mallory@example.com", null, "is for 'mallory@example.com', not 'alice@example.com'")]
    [InlineData("CN=alice@example.com", "mallory@example.com", "is for 'mallory@example.com'")]
    [InlineData("CN=alice@example.com, E=mallory@example.com", null, "is for 'mallory@example.com'")]
    [InlineData("O=Example", null, "names no one")]
    public void A_request_for_another_name_is_refused(string subject, string? altEmail, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (altEmail is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddEmailAddress(altEmail);
            request.CertificateExtensions.Add(names.Build(false));
        }

        var loaded = SigningRequest.FromDer(request.CreateSigningRequest());

        var refused = Assert.Throws<PkiException>(() => Sign(loaded, Email));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_compared_ignoring_case_and_the_certificate_carries_the_name_the_operator_gave()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var certificate = Sign(SigningRequest.FromDer(SigningRequest.Create("Alice@Example.COM", key)), Email);

        Assert.Equal(Email, certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    [Fact]
    public void A_request_with_an_RSA_1024_key_is_refused()
    {
        using var key = RSA.Create(1024);
        var request = SigningRequest.FromDer(SigningRequest.Create(Email, key));

        Assert.Contains("RSA key of 1024 bits is shorter than 2048", Assert.Throws<PkiException>(() => Sign(request, Email)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_with_a_P384_key_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = SigningRequest.FromDer(SigningRequest.Create(Email, key));

        Assert.Contains("not on curve P-256", Assert.Throws<PkiException>(() => Sign(request, Email)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_request_to_be_a_CA_is_refused(bool basicConstraints)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Email}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(basicConstraints
            ? new X509BasicConstraintsExtension(true, false, 0, true)
            : new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        var loaded = SigningRequest.FromDer(request.CreateSigningRequest());

        Assert.Contains("asks to be a CA", Assert.Throws<PkiException>(() => Sign(loaded, Email)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no PEM here", "holds no PEM certificate request")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", "is not a valid PKCS#10 certificate request")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----\n", "not well-formed")]
    public void A_file_that_is_not_one_request_is_one_sentence(string content, string expected)
    {
        File.WriteAllText(_directory.File("x.csr"), content);

        var refused = Assert.Throws<PkiException>(() => SigningRequest.Load(_directory.File("x.csr")));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Contains("x.csr", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_in_place_of_a_request_and_trailing_data_are_refused()
    {
        PemFiles.SaveCertificate(_directory.File("cert.csr"), TestPki.User);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Contains("exactly one CERTIFICATE REQUEST", Assert.Throws<PkiException>(() => SigningRequest.Load(_directory.File("cert.csr"))).Message, StringComparison.Ordinal);
        Assert.Contains("unexpected data", Assert.Throws<PkiException>(() => SigningRequest.FromDer([.. SigningRequest.Create(Email, key), 0])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saved_requests_are_accepted_by_openssl_and_load_back()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SigningRequest.Save(_directory.File("alice.csr"), SigningRequest.Create(Email, key));

        var text = OpenSsl.Succeed(_directory.Path, "req", "-verify", "-in", "alice.csr", "-noout", "-text");

        Assert.Contains("email:alice@example.com", text, StringComparison.Ordinal);
        Assert.Equal([Email, Email], SigningRequest.Load(_directory.File("alice.csr")).Names);
    }

    [Theory]
    [InlineData("rsa:2048")]
    [InlineData("ec")]
    public void A_request_made_by_openssl_is_signed_and_the_certificate_passes_openssl_verify(string algorithm)
    {
        string[] newKey = algorithm == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] : ["-newkey", algorithm];
        OpenSsl.Succeed(_directory.Path, ["req", "-new", .. newKey, "-nodes", "-keyout", "user.key", "-out", "user.csr",
            "-subj", $"/CN={Email}", "-addext", $"subjectAltName=email:{Email}", "-addext", "extendedKeyUsage=serverAuth"]);

        using var certificate = Sign(SigningRequest.Load(_directory.File("user.csr")), Email);
        PemFiles.SaveCertificate(_directory.File("user.crt"), certificate);
        PemFiles.SaveCertificate(_directory.File("ca.crt"), TestPki.Root);

        OpenSsl.Succeed(_directory.Path, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "user.crt");
        using var withKey = PemFiles.LoadCertificateWithKey(_directory.File("user.crt"), _directory.File("user.key"));
        Assert.True(withKey.HasPrivateKey);
    }

    private static X509Certificate2 Sign(SigningRequest request, string email)
    {
        var now = DateTimeOffset.UtcNow;
        return CertificateAuthority.SignUserRequest(TestPki.RootWithKey, request, email, now.AddMinutes(-5), now.AddDays(30));
    }

    // Every extension in order, with its criticality and DER value (same key and issuer, so the identifiers match too).
    private static List<string> Describe(X509Certificate2 certificate) =>
        [.. certificate.Extensions.Select(e => $"{e.Oid!.Value} {e.Critical} {Convert.ToHexString(e.RawData)}")];
}
