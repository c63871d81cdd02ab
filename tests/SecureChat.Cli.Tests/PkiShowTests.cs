using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

public sealed class PkiShowTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    // A config without x509_extensions makes 'openssl req -x509' write a bare version 1 certificate.
    private const string MinimalOpensslConfig = "[req]\ndistinguished_name = dn\n[dn]\n";

    [Fact]
    public async Task Shows_every_field_of_an_issued_server_certificate_as_a_table()
    {
        using var sandbox = new CliSandbox();
        var path = pki.File("server.crt");
        using var certificate = PemFiles.LoadCertificate(path);

        var result = await sandbox.RunAsync("pki", "show", path);

        CliAssert.Succeeded(result);
        var output = result.StandardOutput;
        foreach (var expected in new[]
        {
            "CN=server.local", "CN=SecureChat Root CA", RevocationList.NormalizeSerial(certificate.SerialNumber),
            "DNS:server.local", "RSA 2048 bits", "CA:FALSE (critical)", "digitalSignature, keyEncipherment (critical)",
            "serverAuth", await Openssl.FingerprintAsync(sandbox.Path, path),
        })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("expired", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task Shows_a_bare_certificate_made_by_openssl()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllText(sandbox.File("min.cnf"), MinimalOpensslConfig);
        var made = await Openssl.RunAsync(
            sandbox.Path, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "plain.key", "-out", "plain.crt",
            "-subj", "/CN=plain.example/O=Plain Org", "-days", "2", "-config", "min.cnf");
        Assert.True(made.ExitCode == 0, made.ToString());
        var serial = await Openssl.RunAsync(sandbox.Path, "x509", "-in", "plain.crt", "-noout", "-serial");

        var result = await sandbox.RunAsync("pki", "show", "plain.crt");

        CliAssert.Succeeded(result);
        var output = result.StandardOutput;
        Assert.Contains("CN=plain.example", output, StringComparison.Ordinal);
        Assert.Contains("O=Plain Org", output, StringComparison.Ordinal);
        Assert.Contains(RevocationList.NormalizeSerial(serial.StandardOutput.Trim()), output, StringComparison.Ordinal);
        Assert.Contains(await Openssl.FingerprintAsync(sandbox.Path, "plain.crt"), output, StringComparison.Ordinal);
        Assert.Contains("absent", output, StringComparison.Ordinal);
        Assert.Contains("none", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_the_curve_of_an_openssl_ECDSA_certificate()
    {
        using var sandbox = new CliSandbox();
        var made = await Openssl.RunAsync(
            sandbox.Path, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
            "-keyout", "ec.key", "-out", "ec.crt", "-subj", "/CN=ec.example", "-days", "2");
        Assert.True(made.ExitCode == 0, made.ToString());

        var result = await sandbox.RunAsync("pki", "show", "ec.crt", "--json");

        CliAssert.Succeeded(result);
        var key = JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("key");
        Assert.Equal("ECDSA", key.GetProperty("algorithm").GetString());
        Assert.Equal("P-384", key.GetProperty("curve").GetString());
    }

    [Fact]
    public async Task Json_carries_the_same_fields()
    {
        using var sandbox = new CliSandbox();
        var path = pki.File("client.crt");
        using var certificate = PemFiles.LoadCertificate(path);

        var result = await sandbox.RunAsync("pki", "show", path, "--json");

        CliAssert.Succeeded(result);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var root = document.RootElement;
        Assert.Equal("CN=client.local", root.GetProperty("subject").GetString());
        Assert.Equal("CN=SecureChat Root CA", root.GetProperty("issuer").GetString());
        Assert.Equal(RevocationList.NormalizeSerial(certificate.SerialNumber), root.GetProperty("serial").GetString());
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), root.GetProperty("notAfter").GetDateTime().ToUniversalTime());
        Assert.False(root.GetProperty("expired").GetBoolean());
        Assert.False(root.GetProperty("notYetValid").GetBoolean());
        Assert.Equal(2048, root.GetProperty("key").GetProperty("bits").GetInt32());
        Assert.False(root.GetProperty("basicConstraints").GetProperty("certificateAuthority").GetBoolean());
        Assert.Equal(["clientAuth"], root.GetProperty("extendedKeyUsage").GetProperty("usages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(await Openssl.FingerprintAsync(sandbox.Path, path), root.GetProperty("sha256Fingerprint").GetString());
    }

    [Fact]
    public async Task Json_of_the_CA_shows_its_constraints_and_usages()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "show", pki.CaCertificate, "--json");

        CliAssert.Succeeded(result);
        var root = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.True(root.GetProperty("basicConstraints").GetProperty("certificateAuthority").GetBoolean());
        Assert.Equal(["keyCertSign", "cRLSign"], root.GetProperty("keyUsage").GetProperty("usages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("extendedKeyUsage").ValueKind);
        Assert.Equal(3072, root.GetProperty("key").GetProperty("bits").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Flags_a_certificate_outside_its_validity_period(bool expired)
    {
        using var sandbox = new CliSandbox();
        PemFiles.SaveCertificate(sandbox.File("dated.crt"), expired ? TestPki.Expired : TestPki.NotYetValid);

        var table = await sandbox.RunAsync("pki", "show", "dated.crt");
        var json = await sandbox.RunAsync("pki", "show", "dated.crt", "--json");

        CliAssert.Succeeded(table);
        Assert.Contains(expired ? "(expired)" : "(not yet valid)", table.StandardOutput, StringComparison.Ordinal);
        var root = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal(expired, root.GetProperty("expired").GetBoolean());
        Assert.Equal(!expired, root.GetProperty("notYetValid").GetBoolean());
    }

    [Fact]
    public async Task Control_characters_from_a_certificate_never_reach_the_terminal()
    {
        using var sandbox = new CliSandbox();
        using var key = RSA.Create(2048);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName("evil\u001b]0;owned\u0007[red]x[/]");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using (var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
        {
            PemFiles.SaveCertificate(sandbox.File("evil.crt"), certificate);
        }

        var table = await sandbox.RunAsync("pki", "show", "evil.crt");
        var json = await sandbox.RunAsync("pki", "show", "evil.crt", "--json");

        CliAssert.Succeeded(table);
        Assert.DoesNotContain('\u001b', table.StandardOutput);
        Assert.DoesNotContain('\u0007', table.StandardOutput);
        Assert.Contains("evil?]0;owned?[red]x[/]", table.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', json.StandardOutput);
        var subjectInJson = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("subject").GetString();
        Assert.Contains("evil\u001b]0;owned\u0007[red]x[/]", subjectInJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.crt", null, "does not exist")]
    [InlineData("empty.crt", "", "holds no PEM certificate")]
    [InlineData("garbage.crt", "hello, world\n", "holds no PEM certificate")]
    [InlineData("truncated.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n", "not well-formed")]
    [InlineData("bad-base64.crt", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "not well-formed")]
    [InlineData("not-x509.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a valid X.509 certificate")]
    [InlineData("a-directory", null, "is a directory")]
    public async Task Unusable_files_are_one_sentence(string file, string? content, string expected)
    {
        using var sandbox = new CliSandbox();
        if (file == "a-directory")
        {
            Directory.CreateDirectory(sandbox.File(file));
        }
        else if (content is not null)
        {
            File.WriteAllText(sandbox.File(file), content);
        }

        var result = await sandbox.RunAsync("pki", "show", file);

        CliAssert.FailedWithOneSentence(result, expected);
    }

    [Fact]
    public async Task A_private_key_is_not_a_certificate()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "show", pki.File("server.key"));

        CliAssert.FailedWithOneSentence(result, "exactly one CERTIFICATE block");
        Assert.DoesNotContain("PRIVATE KEY", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_DER_file_is_one_sentence()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllBytes(sandbox.File("server.der"), TestPki.Server.RawData);

        var result = await sandbox.RunAsync("pki", "show", "server.der");

        CliAssert.FailedWithOneSentence(result, "server.der");
    }

    [Fact]
    public async Task A_pipe_is_one_sentence()
    {
        var result = await CliProcess.RunAsync(["pki", "show", "/dev/stdin"], standardInput: "not a certificate");

        CliAssert.FailedWithOneSentence(result, "is not a regular file");
    }
}
