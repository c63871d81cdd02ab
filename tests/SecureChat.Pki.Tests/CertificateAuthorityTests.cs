using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

public sealed class CertificateAuthorityTests
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    [Fact]
    public void Root_is_a_critical_CA_with_certificate_signing_usage_and_a_key_identifier()
    {
        var root = TestPki.RootWithKey;

        Assert.True(root.HasPrivateKey);
        Assert.Equal(root.SubjectName.RawData, root.IssuerName.RawData);
        var constraints = Assert.Single(root.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = Assert.Single(root.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.True(usage.Critical);
        Assert.Single(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.False(TestPki.Root.HasPrivateKey);
    }

    [Theory]
    [InlineData(CertificateRole.Server, "server.local", KeyKind.Rsa2048, ServerAuth)]
    [InlineData(CertificateRole.Server, "server.local", KeyKind.EcdsaP256, ServerAuth)]
    [InlineData(CertificateRole.Client, "client.local", KeyKind.Rsa3072, ClientAuth)]
    [InlineData(CertificateRole.User, "alice@example.com", KeyKind.Rsa2048, ClientAuth)]
    public void Leaf_carries_the_role_extensions(CertificateRole role, string name, KeyKind key, string eku)
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = CertificateAuthority.Issue(TestPki.RootWithKey, role, name, key, now.AddMinutes(-5), now.AddDays(30));

        Assert.True(leaf.HasPrivateKey);
        Assert.Equal(name, leaf.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(TestPki.Root.SubjectName.RawData, leaf.IssuerName.RawData);
        Assert.False(Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        var expectedUsage = X509KeyUsageFlags.DigitalSignature
            | (key == KeyKind.EcdsaP256 ? X509KeyUsageFlags.None : X509KeyUsageFlags.KeyEncipherment);
        Assert.Equal(expectedUsage, Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        var usages = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages;
        Assert.Equal(eku, Assert.Single(usages.Cast<Oid>()).Value);

        var rootKeyId = Assert.Single(TestPki.Root.Extensions.OfType<X509SubjectKeyIdentifierExtension>()).SubjectKeyIdentifierBytes;
        var authorityKeyId = Assert.Single(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>()).KeyIdentifier;
        Assert.NotNull(authorityKeyId);
        Assert.Equal(rootKeyId.ToArray(), authorityKeyId.Value.ToArray());

        var altNames = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
        switch (role)
        {
            case CertificateRole.Server:
                Assert.Equal([name], altNames!.EnumerateDnsNames());
                break;
            case CertificateRole.User:
                Assert.NotNull(altNames);
                Assert.Empty(altNames.EnumerateDnsNames());
                Assert.True(CertificateValidator.MatchesEmail(leaf, name));
                break;
            default:
                Assert.Null(altNames);
                break;
        }
    }

    [Fact]
    public void Serials_are_random_positive_and_16_bytes()
    {
        var serials = new[] { TestPki.Server, TestPki.Client, TestPki.User, TestPki.EcdsaServer }
            .Select(c => c.SerialNumberBytes.ToArray())
            .ToList();

        Assert.All(serials, s => Assert.Equal(16, s.Length));
        Assert.All(serials, s => Assert.True(s[0] is >= 0x40 and < 0x80));
        Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
        Assert.All(serials, s => Assert.Equal(32, Convert.ToHexString(s).Length));
    }

    [Fact]
    public void Issue_refuses_an_issuer_without_private_key()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Throws<ArgumentException>(() =>
            CertificateAuthority.Issue(TestPki.Root, CertificateRole.Server, "x", KeyKind.EcdsaP256, now, now.AddDays(1)));
    }

    [Fact]
    public void Issue_refuses_a_non_CA_issuer()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Throws<ArgumentException>(() =>
            CertificateAuthority.Issue(TestPki.Server, CertificateRole.Client, "x", KeyKind.EcdsaP256, now, now.AddDays(1)));
    }

    [Fact]
    public void Issue_refuses_a_leaf_that_outlives_the_issuer()
    {
        var notAfter = new DateTimeOffset(TestPki.Root.NotAfter).AddDays(1);
        Assert.Throws<ArgumentException>(() => CertificateAuthority.Issue(
            TestPki.RootWithKey, CertificateRole.Server, "x", KeyKind.EcdsaP256, DateTimeOffset.UtcNow, notAfter));
    }

    [Fact]
    public void Issue_moves_notBefore_up_to_the_issuer_notBefore()
    {
        var notBefore = new DateTimeOffset(TestPki.Root.NotBefore).AddYears(-1);
        using var leaf = CertificateAuthority.Issue(
            TestPki.RootWithKey, CertificateRole.Server, "x", KeyKind.EcdsaP256, notBefore, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(TestPki.Root.NotBefore, leaf.NotBefore);
    }

    [Fact]
    public void Subject_name_cannot_smuggle_extra_attributes()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = CertificateAuthority.Issue(
            TestPki.RootWithKey, CertificateRole.Client, "client.local, O=Evil", KeyKind.EcdsaP256, now, now.AddDays(1));

        var rdn = Assert.Single(leaf.SubjectName.EnumerateRelativeDistinguishedNames());
        Assert.Equal("client.local, O=Evil", rdn.GetSingleElementValue());
    }

    [Fact]
    public void Issued_key_signs_protocol_messages()
    {
        using var key = TestPki.Server.GetRSAPrivateKey()!;
        using var publicKey = TestPki.Server.GetRSAPublicKey()!;
        byte[] message = [1, 2, 3];
        var signature = key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        Assert.True(publicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }
}
