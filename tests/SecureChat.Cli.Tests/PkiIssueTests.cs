using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

public sealed class PkiIssueTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    [Theory]
    [InlineData("server", "chat.example.org", "rsa2048")]
    [InlineData("server", "chat.example.org", "rsa3072")]
    [InlineData("server", "chat.example.org", "p256")]
    [InlineData("client", "build_agent-7", "rsa2048")]
    [InlineData("client", "build_agent-7", "rsa3072")]
    [InlineData("client", "build_agent-7", "p256")]
    [InlineData("user", "alice@example.com", "rsa2048")]
    [InlineData("user", "alice@example.com", "rsa3072")]
    [InlineData("user", "alice@example.com", "p256")]
    public async Task Issues_a_certificate_that_is_valid_for_its_role(string role, string name, string key)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "issue", "--role", role, "--name", name, "--key", key, "--pki", pki.Directory, "--out", "out");

        CliAssert.Succeeded(result);
        var certificatePath = sandbox.File($"out/{name}.crt");
        var keyPath = sandbox.File($"out/{name}.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        using var certificate = PemFiles.LoadCertificateWithKey(certificatePath, keyPath);
        using var ca = PemFiles.LoadCertificate(pki.CaCertificate);
        AssertKind(certificate, key);

        var peer = role == "server" ? ExpectedPeer.Server : ExpectedPeer.Client;
        var check = new CertificateValidator(new CertificatePolicy { Root = ca, Peer = peer, ExpectedName = role == "user" ? null : name })
            .Validate(certificate, DateTimeOffset.UtcNow);
        Assert.True(check.IsValid, check.Reason);
        Assert.Equal(role == "user" ? name : string.Empty, certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false));

        await Openssl.AssertVerifiesAsync(sandbox.Path, pki.CaCertificate, certificatePath, role == "server" ? "sslserver" : "sslclient");
        Assert.Contains(await Openssl.FingerprintAsync(sandbox.Path, certificatePath), result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_out_the_files_go_into_the_pki_directory_with_a_chosen_lifetime()
    {
        using var sandbox = CopyOfCa();

        var result = await sandbox.RunAsync("pki", "issue", "--role", "client", "--name", "kiosk", "--days", "7");

        CliAssert.Succeeded(result);
        using var certificate = PemFiles.LoadCertificate(sandbox.File("pki/kiosk.crt"));
        Assert.True(File.Exists(sandbox.File("pki/kiosk.key")));
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(6), DateTime.UtcNow.AddDays(8));
    }

    [Fact]
    public async Task Refuses_to_overwrite_an_issued_certificate_unless_forced()
    {
        using var sandbox = new CliSandbox();
        string[] issue = ["pki", "issue", "--role", "server", "--name", "chat.example.org", "--pki", pki.Directory, "--out", "."];
        CliAssert.Succeeded(await sandbox.RunAsync(issue));
        var first = File.ReadAllText(sandbox.File("chat.example.org.crt"));

        var refused = await sandbox.RunAsync(issue);
        var forced = await sandbox.RunAsync([.. issue, "--force"]);

        CliAssert.FailedWithOneSentence(refused, "already exists; pass --force");
        CliAssert.Succeeded(forced);
        Assert.NotEqual(first, File.ReadAllText(sandbox.File("chat.example.org.crt")));
    }

    [Fact]
    public async Task A_CA_key_that_does_not_match_the_CA_certificate_is_one_sentence()
    {
        using var sandbox = CopyOfCa();
        using (var otherKey = RSA.Create(3072))
        {
            PemFiles.SavePrivateKey(sandbox.File("pki/ca.key"), otherKey);
        }

        var result = await sandbox.RunAsync("pki", "issue", "--role", "server", "--name", "chat.example.org");

        CliAssert.FailedWithOneSentence(result, "does not belong to the certificate");
        Assert.False(File.Exists(sandbox.File("pki/chat.example.org.crt")));
    }

    [Fact]
    public async Task A_leaf_certificate_cannot_act_as_the_CA()
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("pki"));
        File.Copy(pki.File("server.crt"), sandbox.File("pki/ca.crt"));
        File.Copy(pki.File("server.key"), sandbox.File("pki/ca.key"));

        var result = await sandbox.RunAsync("pki", "issue", "--role", "client", "--name", "kiosk");

        CliAssert.FailedWithOneSentence(result, "is not a CA certificate");
    }

    [Theory]
    [InlineData("server", "alice@example.com", "for a person's e-mail address use --role user")]
    [InlineData("server", "bad_name", "is not a valid DNS name")]
    [InlineData("server", "bad-.example", "is not a valid DNS name")]
    [InlineData("server", "*.example.org", "is not a valid DNS name")]
    [InlineData("client", "../escape", "The client name '../escape' is not valid")]
    [InlineData("client", "two words", "is not valid")]
    [InlineData("user", "server.local", "is not an e-mail address")]
    [InlineData("user", "a@b@example.com", "is not an e-mail address")]
    [InlineData("user", "x/y@example.com", "is not an e-mail address")]
    [InlineData("user", "alice@", "is not an e-mail address")]
    [InlineData("server", "a-name-that-is-much-too-long-for-the-common-name.of-a.certificate.example.org", "at most 64 characters")]
    public async Task A_name_that_does_not_fit_the_role_is_refused_without_writing(string role, string name, string expected)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "issue", "--role", role, "--name", name, "--pki", pki.Directory, "--out", "out");

        CliAssert.FailedWithOneSentence(result, expected);
        Assert.False(Directory.Exists(sandbox.File("out")));
    }

    [Fact]
    public async Task A_control_character_in_a_name_is_not_echoed_to_the_terminal()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "issue", "--role", "client", "--name", "evil\u001b[2Jname", "--pki", pki.Directory);

        CliAssert.FailedWithOneSentence(result, "'evil?[2Jname'");
    }

    [Fact]
    public async Task A_missing_pki_directory_points_at_pki_init()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "issue", "--role", "server", "--name", "chat.example.org");

        CliAssert.FailedWithOneSentence(result, "securechat pki init");
    }

    [Theory]
    [InlineData("ca.crt", "not a certificate at all")]
    [InlineData("ca.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("ca.key", "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n")]
    public async Task A_malformed_CA_file_is_one_sentence(string file, string content)
    {
        using var sandbox = CopyOfCa();
        File.WriteAllText(sandbox.File($"pki/{file}"), content);

        var result = await sandbox.RunAsync("pki", "issue", "--role", "server", "--name", "chat.example.org");

        CliAssert.FailedWithOneSentence(result, file);
    }

    [Fact]
    public async Task A_missing_CA_key_is_one_sentence()
    {
        using var sandbox = CopyOfCa();
        File.Delete(sandbox.File("pki/ca.key"));

        var result = await sandbox.RunAsync("pki", "issue", "--role", "server", "--name", "chat.example.org");

        CliAssert.FailedWithOneSentence(result, "ca.key' does not exist");
    }

    [Fact]
    public async Task A_certificate_may_not_outlive_its_CA()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "issue", "--role", "server", "--name", "chat.example.org", "--days", "5000", "--pki", pki.Directory);

        CliAssert.FailedWithOneSentence(result, "would outlive the CA");
    }

    [Theory]
    [InlineData("--role", "admin", "--name", "x")]
    [InlineData("--role", "server", "--name", "x.example", "--key", "rsa1024")]
    [InlineData("--name", "x.example")]
    [InlineData("--role", "server")]
    [InlineData("--role", "server", "--name", "x.example", "--days", "soon")]
    public async Task Bad_flags_are_reported_by_the_parser_without_a_stack_trace(params string[] flags)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["pki", "issue", .. flags, "--pki", pki.Directory]);

        CliAssert.FailedWithoutStackTrace(result);
    }

    private CliSandbox CopyOfCa()
    {
        var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("pki"));
        File.Copy(pki.File("ca.crt"), sandbox.File("pki/ca.crt"));
        File.Copy(pki.File("ca.key"), sandbox.File("pki/ca.key"));
        return sandbox;
    }

    private static void AssertKind(X509Certificate2 certificate, string key)
    {
        if (key == "p256")
        {
            using var ecdsa = certificate.GetECDsaPublicKey();
            Assert.Equal("1.2.840.10045.3.1.7", ecdsa!.ExportParameters(false).Curve.Oid.Value);
            return;
        }

        using var rsa = certificate.GetRSAPublicKey();
        Assert.Equal(key == "rsa3072" ? 3072 : 2048, rsa!.KeySize);
    }
}
