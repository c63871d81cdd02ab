using System.Security.Cryptography.X509Certificates;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

/// <summary>Certificates and keys made by openssl work here, and ours work in openssl.</summary>
public sealed class OpenSslInteropTests : IDisposable
{
    // With this file openssl req adds no x509 extensions, giving a CA as bare as the oldest openssl recipes make.
    private const string BareConfig = "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = Bare CA\n";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plain_openssl_ca_server_and_client_are_accepted(bool bareCa)
    {
        MakeOpenSslCa(bareCa);
        MakeOpenSslLeaf("server", "server.local", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server.key");
        MakeOpenSslLeaf("client", "client.local", "genrsa", "-traditional", "-out", "client.key", "2048");

        using var root = PemFiles.LoadCertificate(_directory.File("ca.crt"));
        using var server = PemFiles.LoadCertificateWithKey(_directory.File("server.crt"), _directory.File("server.key"));
        using var client = PemFiles.LoadCertificateWithKey(_directory.File("client.crt"), _directory.File("client.key"));

        Assert.Empty(server.Extensions);
        Assert.Empty(client.Extensions);
        Assert.True(server.HasPrivateKey);
        Assert.True(client.HasPrivateKey);
        AssertValid(root, ExpectedPeer.Server, "server.local", server);
        AssertValid(root, ExpectedPeer.Client, "client.local", client);
        Assert.Equal(
            CertificateFailure.NameMismatch,
            Validator(root, ExpectedPeer.Server, "client.local").Validate(server, DateTimeOffset.UtcNow).Failure);
        Assert.Equal(
            CertificateFailure.UntrustedIssuer,
            Validator(TestPki.Root, ExpectedPeer.Server, "server.local").Validate(server, DateTimeOffset.UtcNow).Failure);
    }

    [Fact]
    public void Openssl_traditional_ec_key_with_parameters_block_is_loaded()
    {
        MakeOpenSslCa(bareCa: false);
        MakeOpenSslLeaf("server", "server.local", "ecparam", "-name", "prime256v1", "-genkey", "-out", "server.key");
        var keyText = File.ReadAllText(_directory.File("server.key"));
        Assert.Contains("-----BEGIN EC PARAMETERS-----", keyText, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN EC PRIVATE KEY-----", keyText, StringComparison.Ordinal);

        using var root = PemFiles.LoadCertificate(_directory.File("ca.crt"));
        using var server = PemFiles.LoadCertificateWithKey(_directory.File("server.crt"), _directory.File("server.key"));

        Assert.True(server.HasPrivateKey);
        AssertValid(root, ExpectedPeer.Server, "server.local", server);
    }

    [Fact]
    public void CertificateAuthority_can_issue_from_an_openssl_ca()
    {
        MakeOpenSslCa(bareCa: true);
        using var ca = PemFiles.LoadCertificateWithKey(_directory.File("ca.crt"), _directory.File("ca.key"));
        var now = DateTimeOffset.UtcNow;
        using var server = CertificateAuthority.Issue(ca, CertificateRole.Server, "server.local", KeyKind.Rsa2048, now.AddMinutes(-5), now.AddDays(1));
        PemFiles.SaveCertificate(_directory.File("ours.crt"), server);

        OpenSsl.Succeed(_directory.Path, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "ours.crt");
        AssertValid(ca, ExpectedPeer.Server, "server.local", server);
    }

    [Theory]
    [InlineData(nameof(TestPki.Server), "sslserver")]
    [InlineData(nameof(TestPki.EcdsaServer), "sslserver")]
    [InlineData(nameof(TestPki.Client), "sslclient")]
    [InlineData(nameof(TestPki.User), "sslclient")]
    public void Our_certificates_pass_openssl_verify(string name, string purpose)
    {
        var certificate = TestPkiCertificate(name);
        PemFiles.SaveCertificate(_directory.File("ca.crt"), TestPki.Root);
        PemFiles.SaveCertificate(_directory.File("leaf.crt"), certificate);

        OpenSsl.Succeed(_directory.Path, "verify", "-CAfile", "ca.crt", "leaf.crt");
        OpenSsl.Succeed(_directory.Path, "verify", "-CAfile", "ca.crt", "-purpose", purpose, "leaf.crt");

        var wrongPurpose = purpose == "sslserver" ? "sslclient" : "sslserver";
        Assert.NotEqual(0, OpenSsl.Run(_directory.Path, "verify", "-CAfile", "ca.crt", "-purpose", wrongPurpose, "leaf.crt").ExitCode);
    }

    [Theory]
    [InlineData(nameof(TestPki.Expired))]
    [InlineData(nameof(TestPki.NotYetValid))]
    [InlineData(nameof(TestPki.IssuedByOtherCa))]
    [InlineData(nameof(TestPki.SelfSignedLeaf))]
    public void Openssl_verify_refuses_what_the_validator_refuses(string name)
    {
        PemFiles.SaveCertificate(_directory.File("ca.crt"), TestPki.Root);
        PemFiles.SaveCertificate(_directory.File("leaf.crt"), TestPkiCertificate(name));

        Assert.NotEqual(0, OpenSsl.Run(_directory.Path, "verify", "-CAfile", "ca.crt", "leaf.crt").ExitCode);
    }

    [Theory]
    [InlineData(nameof(TestPki.Server))]
    [InlineData(nameof(TestPki.EcdsaServer))]
    public void Openssl_reads_our_private_key_and_it_matches_the_certificate(string name)
    {
        var certificate = TestPkiCertificate(name);
        PemFiles.SaveCertificate(_directory.File("leaf.crt"), certificate);
        using (var key = TestPki.PrivateKeyOf(certificate))
        {
            PemFiles.SavePrivateKey(_directory.File("leaf.key"), key);
        }

        var fromKey = OpenSsl.Succeed(_directory.Path, "pkey", "-in", "leaf.key", "-pubout");
        var fromCertificate = OpenSsl.Succeed(_directory.Path, "x509", "-in", "leaf.crt", "-noout", "-pubkey");
        Assert.Equal(fromCertificate, fromKey);
    }

    [Fact]
    public void Openssl_serial_output_revokes_the_certificate()
    {
        PemFiles.SaveCertificate(_directory.File("leaf.crt"), TestPki.Server);
        var serialLine = OpenSsl.Succeed(_directory.Path, "x509", "-in", "leaf.crt", "-noout", "-serial").Trim();
        File.WriteAllText(_directory.File("revoked.txt"), serialLine + "  # as printed by openssl\n");

        var validator = new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.Root,
            Peer = ExpectedPeer.Server,
            ExpectedName = TestPki.ServerName,
            RevokedSerials = RevocationList.Load(_directory.File("revoked.txt")),
        });

        Assert.Equal(CertificateFailure.Revoked, validator.Validate(TestPki.Server, DateTimeOffset.UtcNow).Failure);
    }

    private void MakeOpenSslCa(bool bareCa)
    {
        var arguments = new List<string> { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30" };
        if (bareCa)
        {
            File.WriteAllText(_directory.File("bare.cnf"), BareConfig);
            arguments.AddRange(["-config", "bare.cnf"]);
        }
        else
        {
            arguments.AddRange(["-subj", "/CN=Plain CA"]);
        }

        OpenSsl.Succeed(_directory.Path, [.. arguments]);
    }

    private void MakeOpenSslLeaf(string name, string commonName, params string[] keyCommand)
    {
        OpenSsl.Succeed(_directory.Path, keyCommand);
        OpenSsl.Succeed(_directory.Path, "req", "-new", "-key", $"{name}.key", "-out", $"{name}.csr", "-subj", $"/CN={commonName}");
        OpenSsl.Succeed(
            _directory.Path, "x509", "-req", "-in", $"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", $"{name}.crt", "-days", "10");
    }

    private static void AssertValid(X509Certificate2 root, ExpectedPeer peer, string name, X509Certificate2 certificate)
    {
        var check = Validator(root, peer, name).Validate(certificate, DateTimeOffset.UtcNow);
        Assert.True(check.IsValid, $"{name}: {check.Failure}, {check.Reason}");
    }

    private static CertificateValidator Validator(X509Certificate2 root, ExpectedPeer peer, string name) =>
        new(new CertificatePolicy { Root = root, Peer = peer, ExpectedName = name });

    private static X509Certificate2 TestPkiCertificate(string name) =>
        (X509Certificate2)typeof(TestPki).GetProperty(name)!.GetValue(null)!;
}
