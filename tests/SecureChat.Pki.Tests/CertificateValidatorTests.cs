using System.Security.Cryptography.X509Certificates;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

public sealed class CertificateValidatorTests
{
    public static TheoryData<string, ExpectedPeer, string?, CertificateFailure> Matrix => new()
    {
        { nameof(TestPki.Server), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.None },
        { nameof(TestPki.Client), ExpectedPeer.Client, TestPki.ClientName, CertificateFailure.None },
        { nameof(TestPki.User), ExpectedPeer.Client, null, CertificateFailure.None },
        { nameof(TestPki.User), ExpectedPeer.Client, TestPki.UserEmail, CertificateFailure.None },
        { nameof(TestPki.EcdsaServer), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.None },
        { nameof(TestPki.NoExtensions), ExpectedPeer.Client, TestPki.ClientName, CertificateFailure.None },
        { nameof(TestPki.NoExtensions), ExpectedPeer.Server, TestPki.ClientName, CertificateFailure.None },
        { nameof(TestPki.Server), ExpectedPeer.Server, "SERVER.LOCAL", CertificateFailure.None },
        { nameof(TestPki.Expired), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.Expired },
        { nameof(TestPki.NotYetValid), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.NotYetValid },
        { nameof(TestPki.SelfSignedLeaf), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.UntrustedIssuer },
        { nameof(TestPki.IssuedByOtherCa), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.UntrustedIssuer },
        { nameof(TestPki.OtherRoot), ExpectedPeer.Server, TestPki.RootName, CertificateFailure.UntrustedIssuer },
        { nameof(TestPki.CaAsLeaf), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.CaAsLeaf },
        { nameof(TestPki.Root), ExpectedPeer.Server, TestPki.RootName, CertificateFailure.CaAsLeaf },
        { nameof(TestPki.RootWithKey), ExpectedPeer.Client, null, CertificateFailure.CaAsLeaf },
        { nameof(TestPki.ServerAuthOnlyAsClient), ExpectedPeer.Client, TestPki.ClientName, CertificateFailure.WrongUsage },
        { nameof(TestPki.ClientAuthOnlyAsServer), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.WrongUsage },
        { nameof(TestPki.Server), ExpectedPeer.Client, TestPki.ServerName, CertificateFailure.WrongUsage },
        { nameof(TestPki.Client), ExpectedPeer.Server, TestPki.ClientName, CertificateFailure.WrongUsage },
        { nameof(TestPki.User), ExpectedPeer.Server, null, CertificateFailure.WrongUsage },
        { nameof(TestPki.NoDigitalSignature), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.WrongUsage },
        { nameof(TestPki.WrongName), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.NameMismatch },
        { nameof(TestPki.Server), ExpectedPeer.Server, TestPki.ClientName, CertificateFailure.NameMismatch },
        { nameof(TestPki.Client), ExpectedPeer.Client, TestPki.ServerName, CertificateFailure.NameMismatch },
        { nameof(TestPki.User), ExpectedPeer.Client, "bob@example.com", CertificateFailure.NameMismatch },
        { nameof(TestPki.Rsa1024), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.WeakKey },
        { nameof(TestPki.EcdsaP384), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.WeakKey },
        { nameof(TestPki.Revoked), ExpectedPeer.Server, TestPki.ServerName, CertificateFailure.Revoked },
        { nameof(TestPki.Revoked), ExpectedPeer.Server, "other.local", CertificateFailure.Revoked },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Validate_reports_the_expected_failure(string certificate, ExpectedPeer peer, string? name, CertificateFailure expected)
    {
        var validator = new CertificateValidator(TestPki.Policy(peer, name));

        var check = validator.Validate(Get(certificate), DateTimeOffset.UtcNow);

        Assert.Equal(expected, check.Failure);
        Assert.Equal(expected == CertificateFailure.None, check.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(check.Reason));
    }

    private static X509Certificate2 Get(string name) =>
        (X509Certificate2)typeof(TestPki).GetProperty(name)!.GetValue(null)!;
}
