using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.TestSupport;

namespace SecureChat.Pki.Tests;

public sealed class PemFilesTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Certificate_round_trips()
    {
        var path = _directory.File("server.crt");
        PemFiles.SaveCertificate(path, TestPki.Server);

        using var loaded = PemFiles.LoadCertificate(path);

        Assert.Equal(TestPki.Server.RawData, loaded.RawData);
        Assert.False(loaded.HasPrivateKey);
    }

    [Theory]
    [InlineData(nameof(TestPki.Server))]
    [InlineData(nameof(TestPki.EcdsaServer))]
    public void Certificate_with_key_round_trips(string name)
    {
        var certificate = (X509Certificate2)typeof(TestPki).GetProperty(name)!.GetValue(null)!;
        var (certificatePath, keyPath) = SaveWithKey(certificate, "leaf");

        using var loaded = PemFiles.LoadCertificateWithKey(certificatePath, keyPath);

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(certificate.RawData, loaded.RawData);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", File.ReadAllText(keyPath), StringComparison.Ordinal);
    }

    [Fact]
    public void SavePrivateKey_creates_the_file_with_mode_0600()
    {
        // File modes are a Unix notion; the project runs its servers on Linux.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _directory.File("server.key");
        using var key = TestPki.PrivateKeyOf(TestPki.Server);

        PemFiles.SavePrivateKey(path, key);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void SavePrivateKey_replaces_a_world_readable_file_with_a_0600_one()
    {
        // File modes are a Unix notion; the project runs its servers on Linux.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = _directory.File("server.key");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var key = TestPki.PrivateKeyOf(TestPki.Server);

        PemFiles.SavePrivateKey(path, key);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        using var loaded = PemFiles.LoadPrivateKey(path);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void SavePrivateKey_into_a_missing_directory_throws_PkiException()
    {
        using var key = TestPki.PrivateKeyOf(TestPki.Server);

        var error = Assert.Throws<PkiException>(() => PemFiles.SavePrivateKey(_directory.File("missing/server.key"), key));

        Assert.Contains("cannot be written", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TestPki.Client))]
    [InlineData(nameof(TestPki.EcdsaServer))]
    public void LoadCertificateWithKey_refuses_a_key_of_another_certificate(string keyOwner)
    {
        var (certificatePath, _) = SaveWithKey(TestPki.Server, "server");
        var owner = (X509Certificate2)typeof(TestPki).GetProperty(keyOwner)!.GetValue(null)!;
        var (_, keyPath) = SaveWithKey(owner, "other");

        var error = Assert.Throws<PkiException>(() => PemFiles.LoadCertificateWithKey(certificatePath, keyPath));

        Assert.Contains("does not belong to the certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_give_a_clear_PkiException()
    {
        var path = _directory.File("nowhere.crt");

        var certificateError = Assert.Throws<PkiException>(() => PemFiles.LoadCertificate(path));
        var keyError = Assert.Throws<PkiException>(() => PemFiles.LoadPrivateKey(path));

        Assert.Equal($"The certificate file '{path}' does not exist.", certificateError.Message);
        Assert.Equal($"The private key file '{path}' does not exist.", keyError.Message);
    }

    [Fact]
    public void LoadCertificate_refuses_a_file_with_two_certificates()
    {
        var path = _directory.File("chain.crt");
        File.WriteAllText(path, TestPki.Server.ExportCertificatePem() + "\n" + TestPki.Root.ExportCertificatePem());

        var error = Assert.Throws<PkiException>(() => PemFiles.LoadCertificate(path));

        Assert.Contains("exactly one CERTIFICATE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPrivateKey_refuses_an_encrypted_key()
    {
        var path = _directory.File("encrypted.key");
        using var key = TestPki.PrivateKeyOf(TestPki.Server);
        File.WriteAllText(path, key.ExportEncryptedPkcs8PrivateKeyPem(
            "secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));

        var error = Assert.Throws<PkiException>(() => PemFiles.LoadPrivateKey(path));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPrivateKey_finds_the_key_beside_a_certificate()
    {
        var path = _directory.File("combined.pem");
        using var key = TestPki.PrivateKeyOf(TestPki.Client);
        File.WriteAllText(path, TestPki.Client.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());

        using var loaded = PemFiles.LoadPrivateKey(path);

        Assert.IsAssignableFrom<RSA>(loaded);
    }

    [Fact]
    public void LoadPrivateKey_refuses_a_file_without_a_key()
    {
        var path = _directory.File("server.crt");
        PemFiles.SaveCertificate(path, TestPki.Server);

        var error = Assert.Throws<PkiException>(() => PemFiles.LoadPrivateKey(path));

        Assert.Contains("no PEM private key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseCertificate_accepts_one_certificate_with_surrounding_text()
    {
        var pem = "subject=CN = server.local\n" + TestPki.Server.ExportCertificatePem() + "\ntrailing words\n";

        using var parsed = PemFiles.TryParseCertificate(pem);

        Assert.NotNull(parsed);
        Assert.Equal(TestPki.Server.RawData, parsed.RawData);
    }

    public static TheoryData<string> NotOneCertificate()
    {
        var good = TestPki.Server.ExportCertificatePem();
        var der = TestPki.Server.RawData;
        var truncated = PemWrap(der.AsSpan(0, der.Length - 10).ToArray());
        var trailing = PemWrap([.. der, 0x00]);
        using var key = TestPki.PrivateKeyOf(TestPki.Server);
        return new TheoryData<string>
        {
            string.Empty,
            "not a certificate",
            good + "\n" + good,
            good + "\n" + key.ExportPkcs8PrivateKeyPem(),
            key.ExportPkcs8PrivateKeyPem(),
            good.Replace("CERTIFICATE", "X509 CRL", StringComparison.Ordinal),
            good.Insert(good.IndexOf('\n', StringComparison.Ordinal) + 1, "!"),
            good.Replace("-----END CERTIFICATE-----", "-----END CERTIFICATEX-----", StringComparison.Ordinal),
            truncated,
            trailing,
            PemWrap(new byte[100]),
            PemWrap([]),
        };
    }

    [Theory]
    [MemberData(nameof(NotOneCertificate))]
    public void TryParseCertificate_returns_null_for_anything_but_one_well_formed_certificate(string pem) =>
        Assert.Null(PemFiles.TryParseCertificate(pem));

    [Fact]
    public void TryParseCertificate_returns_null_for_null() => Assert.Null(PemFiles.TryParseCertificate(null!));

    private (string CertificatePath, string KeyPath) SaveWithKey(X509Certificate2 certificate, string name)
    {
        var certificatePath = _directory.File($"{name}.crt");
        var keyPath = _directory.File($"{name}.key");
        PemFiles.SaveCertificate(certificatePath, certificate);
        using var key = TestPki.PrivateKeyOf(certificate);
        PemFiles.SavePrivateKey(keyPath, key);
        return (certificatePath, keyPath);
    }

    private static string PemWrap(byte[] der) => new(PemEncoding.Write("CERTIFICATE", der));
}
