using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

public sealed class PkiInitTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] Files = ["ca.crt", "ca.key", "server.crt", "server.key", "client.crt", "client.key"];

    [Fact]
    public async Task Writes_a_CA_and_server_and_client_certificates_with_owner_only_keys()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "init");

        CliAssert.Succeeded(result);
        var directory = sandbox.File("pki");
        Assert.Equal(Files.Order(), Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        foreach (var key in Files.Where(f => f.EndsWith(".key", StringComparison.Ordinal)))
        {
            var path = Path.Combine(directory, key);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        }

        using var ca = PemFiles.LoadCertificateWithKey(Path.Combine(directory, "ca.crt"), Path.Combine(directory, "ca.key"));
        using var caKey = ca.GetRSAPublicKey()!;
        Assert.Equal(3072, caKey.KeySize);
        Assert.InRange(ca.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddYears(10).AddDays(-2), DateTime.UtcNow.AddYears(10).AddDays(1));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Fact]
    public async Task Prints_the_files_it_wrote_with_subjects_and_fingerprints()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "init");

        CliAssert.Succeeded(result);
        foreach (var file in Files)
        {
            Assert.Contains(file, result.StandardOutput, StringComparison.Ordinal);
        }

        foreach (var certificate in new[] { "ca.crt", "server.crt", "client.crt" })
        {
            var fingerprint = await Openssl.FingerprintAsync(sandbox.Path, Path.Combine("pki", certificate));
            Assert.Contains(fingerprint, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("CN=server.local", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("CN=client.local", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(result.StandardOutput.Split('\n').Length < 20, "the summary should be short");
    }

    [Fact]
    public async Task The_certificates_pass_openssl_verify_for_their_purpose()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init"));
        var directory = sandbox.File("pki");

        await Openssl.AssertVerifiesAsync(directory, "ca.crt", "server.crt");
        await Openssl.AssertVerifiesAsync(directory, "ca.crt", "client.crt");
        await Openssl.AssertVerifiesAsync(directory, "ca.crt", "server.crt", "sslserver");
        await Openssl.AssertVerifiesAsync(directory, "ca.crt", "client.crt", "sslclient");

        // The purposes are not decoration: each leaf is refused for the other side's role.
        Assert.NotEqual(0, (await Openssl.VerifyAsync(directory, "ca.crt", "client.crt", "sslserver")).ExitCode);
        Assert.NotEqual(0, (await Openssl.VerifyAsync(directory, "ca.crt", "server.crt", "sslclient")).ExitCode);
    }

    [Fact]
    public async Task The_certificates_pass_the_SecureChat_validator_for_their_role_and_name()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init", "--server-name", "chat.example.org", "--client-name", "bot-7"));
        using var ca = PemFiles.LoadCertificate(sandbox.File("pki/ca.crt"));
        using var server = PemFiles.LoadCertificate(sandbox.File("pki/server.crt"));
        using var client = PemFiles.LoadCertificate(sandbox.File("pki/client.crt"));

        var serverCheck = new CertificateValidator(new CertificatePolicy { Root = ca, Peer = ExpectedPeer.Server, ExpectedName = "chat.example.org" })
            .Validate(server, DateTimeOffset.UtcNow);
        var clientCheck = new CertificateValidator(new CertificatePolicy { Root = ca, Peer = ExpectedPeer.Client, ExpectedName = "bot-7" })
            .Validate(client, DateTimeOffset.UtcNow);

        Assert.True(serverCheck.IsValid, serverCheck.Reason);
        Assert.True(clientCheck.IsValid, clientCheck.Reason);
    }

    [Fact]
    public async Task Out_and_days_choose_the_directory_and_the_leaf_lifetime()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "init", "--out", "deploy/certs", "--days", "30");

        CliAssert.Succeeded(result);
        using var server = PemFiles.LoadCertificate(sandbox.File("deploy/certs/server.crt"));
        Assert.InRange(server.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        Assert.False(Directory.Exists(sandbox.File("pki")));
    }

    [Fact]
    public async Task Refuses_to_replace_an_existing_CA_and_leaves_it_untouched()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init"));
        var before = Snapshot(sandbox.File("pki"));

        var result = await sandbox.RunAsync("pki", "init");

        CliAssert.FailedWithOneSentence(result, "already exists");
        Assert.Contains("--force", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(sandbox.File("pki")));
    }

    [Theory]
    [InlineData("ca.crt")]
    [InlineData("ca.key")]
    public async Task Either_CA_file_alone_counts_as_an_existing_CA(string file)
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("pki"));
        File.WriteAllText(sandbox.File($"pki/{file}"), "keep me");

        var result = await sandbox.RunAsync("pki", "init");

        CliAssert.FailedWithOneSentence(result, file);
        Assert.Equal("keep me", File.ReadAllText(sandbox.File($"pki/{file}")));
    }

    [Fact]
    public async Task Force_replaces_the_CA_and_every_certificate()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init"));
        var before = Snapshot(sandbox.File("pki"));

        var result = await sandbox.RunAsync("pki", "init", "--force");

        CliAssert.Succeeded(result);
        var after = Snapshot(sandbox.File("pki"));
        Assert.All(Files, f => Assert.NotEqual(before[f], after[f]));
        await Openssl.AssertVerifiesAsync(sandbox.File("pki"), "ca.crt", "server.crt", "sslserver");
    }

    [Theory]
    [InlineData("The server name 'bad_name'", "--server-name", "bad_name")]
    [InlineData("The server name 'alice@example.com'", "--server-name", "alice@example.com")]
    [InlineData("The client name 'has space'", "--client-name", "has space")]
    [InlineData("The CA name", "--ca-name", " ")]
    [InlineData("--days must be a positive number", "--days", "0")]
    [InlineData("would outlive the new CA", "--days", "4000")]
    public async Task Bad_input_is_refused_before_anything_is_written(string expected, string option, string value)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("pki", "init", option, value);

        CliAssert.FailedWithOneSentence(result, expected);
        Assert.False(Directory.Exists(sandbox.File("pki")));
    }

    [Fact]
    public async Task An_out_path_that_is_a_file_is_one_sentence()
    {
        using var sandbox = new CliSandbox();
        File.WriteAllText(sandbox.File("occupied"), "a file, not a directory");

        var result = await sandbox.RunAsync("pki", "init", "--out", "occupied");

        CliAssert.FailedWithOneSentence(result, "occupied");
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Files.ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, f)))));
}
