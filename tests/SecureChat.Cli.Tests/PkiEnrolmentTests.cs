using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

/// <summary><c>pki request</c> on the user's side and <c>pki sign</c> on the operator's: the key stays where it was
/// made, openssl accepts the request and the certificate, and the operator's checks refuse what a user must not get.</summary>
public sealed class PkiEnrolmentTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    private const string Email = "alice@example.org";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Theory]
    [InlineData("rsa2048")]
    [InlineData("rsa3072")]
    [InlineData("p256")]
    public async Task A_requested_and_signed_certificate_is_a_valid_user_certificate_for_the_users_own_key(string key)
    {
        using var sandbox = new CliSandbox();

        var requested = await sandbox.RunAsync("pki", "request", "--name", Email, "--key", key, "--out", "user");
        var signed = await sandbox.RunAsync("pki", "sign", "--pki", pki.Directory, "--csr", $"user/{Email}.csr", "--role", "user");

        CliAssert.Succeeded(requested);
        CliAssert.Succeeded(signed);
        var keyPath = sandbox.File($"user/{Email}.key");
        var certificatePath = sandbox.File($"user/{Email}.crt");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(keyPath));
        await AssertOpensslAsync(sandbox.File("user"), "req", "-verify", "-in", $"{Email}.csr", "-noout");
        await Openssl.AssertVerifiesAsync(sandbox.Path, pki.CaCertificate, certificatePath);
        await Openssl.AssertVerifiesAsync(sandbox.Path, pki.CaCertificate, certificatePath, "sslclient");

        using var certificate = PemFiles.LoadCertificateWithKey(certificatePath, keyPath);
        using var ca = PemFiles.LoadCertificate(pki.CaCertificate);
        var check = new CertificateValidator(new CertificatePolicy { Root = ca, Peer = ExpectedPeer.Client }).Validate(certificate, DateTimeOffset.UtcNow);
        Assert.True(check.IsValid, check.Reason);
        Assert.True(CertificateValidator.MatchesEmail(certificate, Email));
        Assert.Equal(Email, certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false));

        // Both sides print the same key fingerprint, so user and operator can compare it over the phone.
        var fingerprint = KeyFingerprint(certificate);
        Assert.Contains(fingerprint, requested.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(fingerprint, signed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(await Openssl.FingerprintAsync(sandbox.Path, certificatePath), signed.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_writes_into_the_current_directory_and_sign_writes_where_out_says()
    {
        using var sandbox = new CliSandbox();

        CliAssert.Succeeded(await sandbox.RunAsync("pki", "request", "--name", Email));
        var signed = await sandbox.RunAsync("pki", "sign", "--pki", pki.Directory, "--csr", $"{Email}.csr", "--role", "user",
            "--name", Email, "--days", "7", "--out", "certs/alice.pem");

        CliAssert.Succeeded(signed);
        Assert.True(File.Exists(sandbox.File($"{Email}.key")));
        Assert.False(File.Exists(sandbox.File($"{Email}.crt")));
        using var certificate = PemFiles.LoadCertificateWithKey(sandbox.File("certs/alice.pem"), sandbox.File($"{Email}.key"));
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(6), DateTime.UtcNow.AddDays(8));
        using var rsa = certificate.GetRSAPublicKey();
        Assert.Equal(2048, rsa!.KeySize);
    }

    [Fact]
    public async Task Request_never_replaces_a_key_unless_forced()
    {
        using var sandbox = new CliSandbox();
        string[] request = ["pki", "request", "--name", Email, "--key", "p256"];
        CliAssert.Succeeded(await sandbox.RunAsync(request));
        var firstKey = File.ReadAllText(sandbox.File($"{Email}.key"));
        File.Delete(sandbox.File($"{Email}.csr"));

        var refused = await sandbox.RunAsync(request);

        CliAssert.FailedWithOneSentence(refused, $"{Email}.key' already exists; pass --force");
        Assert.Equal(firstKey, File.ReadAllText(sandbox.File($"{Email}.key")));
        Assert.False(File.Exists(sandbox.File($"{Email}.csr")));
        CliAssert.Succeeded(await sandbox.RunAsync([.. request, "--force"]));
        Assert.NotEqual(firstKey, File.ReadAllText(sandbox.File($"{Email}.key")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(sandbox.File($"{Email}.key")));
    }

    [Theory]
    [InlineData("alice", "is not an e-mail address")]
    [InlineData("../alice@example.org", "is not an e-mail address")]
    [InlineData("a@b@example.org", "is not an e-mail address")]
    public async Task Request_refuses_a_name_that_is_not_an_e_mail_address_without_writing(string name, string expected)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "request", "--name", name, "--out", "out");

        CliAssert.FailedWithOneSentence(result, expected);
        Assert.False(Directory.Exists(sandbox.File("out")));
    }

    [Fact]
    public async Task Sign_refuses_a_request_whose_signature_was_altered()
    {
        using var sandbox = await RequestedAsync();
        var path = sandbox.File($"{Email}.csr");
        var text = File.ReadAllText(path);
        var der = Convert.FromBase64String(text[PemEncoding.Find(text).Base64Data]);

        // The signature BIT STRING ends the request, so its last byte is a signature byte.
        der[^1] ^= 0x01;
        File.WriteAllText(path, PemEncoding.WriteString("CERTIFICATE REQUEST", der) + "\n");

        await AssertSignRefusedAsync(sandbox, "signature that does not verify with its own public key");
    }

    [Fact]
    public async Task Sign_refuses_a_request_for_another_address()
    {
        using var sandbox = await RequestedAsync();

        await AssertSignRefusedAsync(sandbox, "is for 'alice@example.org', not 'bob@example.org'", "--name", "bob@example.org");
    }

    [Theory]
    [InlineData("rsa:1024", "", "RSA key of 1024 bits is shorter than 2048")]
    [InlineData("ec", "", "ECDSA key is not on curve P-256")]
    [InlineData("rsa:2048", "basicConstraints=critical,CA:TRUE", "asks to be a CA")]
    [InlineData("rsa:2048", "subjectAltName=email:mallory@example.org", "is for 'mallory@example.org'")]
    public async Task Sign_refuses_an_openssl_request_a_user_must_not_get(string algorithm, string extension, string expected)
    {
        using var sandbox = new CliSandbox();
        string[] newKey = algorithm == "ec" ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"] : ["-newkey", algorithm];
        string[] addExtension = extension.Length == 0 ? [] : ["-addext", extension];
        await AssertOpensslAsync(sandbox.Path, ["req", "-new", .. newKey, "-nodes", "-keyout", "user.key", "-out", $"{Email}.csr",
            "-subj", $"/CN={Email}", .. addExtension]);

        await AssertSignRefusedAsync(sandbox, expected);
    }

    [Fact]
    public async Task Sign_builds_the_certificate_itself_and_copies_nothing_else_from_an_openssl_request()
    {
        using var sandbox = new CliSandbox();
        await AssertOpensslAsync(sandbox.Path, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "user.key", "-out", "user.csr",
            "-subj", $"/C=XX/O=Anything/CN={Email}", "-addext", $"subjectAltName=email:{Email},DNS:server.local",
            "-addext", "extendedKeyUsage=serverAuth,clientAuth", "-addext", "keyUsage=critical,digitalSignature,dataEncipherment");

        CliAssert.Succeeded(await sandbox.RunAsync("pki", "sign", "--pki", pki.Directory, "--csr", "user.csr", "--role", "user"));

        using var certificate = PemFiles.LoadCertificateWithKey(sandbox.File($"{Email}.crt"), sandbox.File("user.key"));
        Assert.Equal($"CN={Email}", certificate.Subject);
        Assert.Empty(Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()).EnumerateDnsNames());
        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages;
        Assert.Equal("1.3.6.1.5.5.7.3.2", Assert.Single(eku.Cast<Oid>()).Value);
        Assert.Equal(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        Assert.NotEqual(0, (await Openssl.VerifyAsync(sandbox.Path, pki.CaCertificate, sandbox.File($"{Email}.crt"), "sslserver")).ExitCode);
    }

    [Fact]
    public async Task Sign_never_replaces_a_certificate_unless_forced()
    {
        using var sandbox = await RequestedAsync();
        string[] sign = ["pki", "sign", "--pki", pki.Directory, "--csr", $"{Email}.csr", "--role", "user"];
        CliAssert.Succeeded(await sandbox.RunAsync(sign));
        var first = File.ReadAllText(sandbox.File($"{Email}.crt"));

        CliAssert.FailedWithOneSentence(await sandbox.RunAsync(sign), "already exists; pass --force");
        CliAssert.Succeeded(await sandbox.RunAsync([.. sign, "--force"]));
        Assert.NotEqual(first, File.ReadAllText(sandbox.File($"{Email}.crt")));
    }

    [Theory]
    [InlineData("server", "only --role user is")]
    [InlineData("client", "only --role user is")]
    public async Task Sign_signs_only_user_certificates(string role, string expected)
    {
        using var sandbox = await RequestedAsync();

        var result = await sandbox.RunAsync("pki", "sign", "--pki", pki.Directory, "--csr", $"{Email}.csr", "--role", role);

        CliAssert.FailedWithOneSentence(result, expected);
    }

    [Theory]
    [InlineData("missing.csr", "does not exist")]
    [InlineData(".", "is a directory")]
    public async Task Sign_reports_an_unusable_request_file_in_one_sentence(string file, string expected)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "sign", "--pki", pki.Directory, "--csr", file, "--role", "user");

        CliAssert.FailedWithOneSentence(result, expected);
    }

    [Theory]
    [InlineData("user", true)]
    [InlineData("client", false)]
    public async Task Issue_for_a_user_says_that_the_operator_knows_the_key(string role, bool notice)
    {
        using var sandbox = new CliSandbox();
        var name = role == "user" ? Email : "kiosk";

        var result = await sandbox.RunAsync("pki", "issue", "--role", role, "--name", name, "--pki", pki.Directory, "--out", ".");

        CliAssert.Succeeded(result);
        var line = result.StandardOutput.Split('\n').SingleOrDefault(l => l.Contains("now knows", StringComparison.Ordinal));
        Assert.Equal(notice, line is not null);
        if (notice)
        {
            Assert.Contains("'securechat pki request'", line, StringComparison.Ordinal);
            Assert.Contains("'securechat pki sign'", line, StringComparison.Ordinal);
        }
    }

    private static async Task<CliSandbox> RequestedAsync()
    {
        var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "request", "--name", Email, "--key", "p256"));
        return sandbox;
    }

    private async Task AssertSignRefusedAsync(CliSandbox sandbox, string expected, params string[] more)
    {
        var result = await sandbox.RunAsync(["pki", "sign", "--pki", pki.Directory, "--csr", $"{Email}.csr", "--role", "user", .. more]);

        CliAssert.FailedWithOneSentence(result, expected);
        Assert.Empty(Directory.GetFiles(sandbox.Path, "*.crt"));
    }

    private static async Task AssertOpensslAsync(string directory, params string[] arguments)
    {
        var result = await Openssl.RunAsync(directory, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {result}");
    }

    private static string KeyFingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo())).Chunk(2).Select(c => new string(c))
            .Aggregate((a, b) => a + ":" + b);
}
