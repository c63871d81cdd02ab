using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

public sealed class PkiRevokeTests
{
    [Fact]
    public async Task Revoking_a_serial_writes_it_where_the_server_reads_it()
    {
        using var sandbox = WithPkiDirectory();

        var result = await sandbox.RunAsync("pki", "revoke", "--serial", "0a:bc:12");

        CliAssert.Succeeded(result);
        Assert.Contains("ABC12", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["ABC12"], RevocationList.Load(sandbox.File("pki/revoked.txt")));
    }

    [Fact]
    public async Task Revoking_a_certificate_file_makes_the_validator_refuse_it()
    {
        using var sandbox = WithPkiDirectory();
        PemFiles.SaveCertificate(sandbox.File("server.crt"), TestPki.Server);

        var result = await sandbox.RunAsync("pki", "revoke", "--cert", "server.crt", "--pki", "pki");

        CliAssert.Succeeded(result);
        var revoked = RevocationList.Load(sandbox.File("pki/revoked.txt"));
        Assert.Contains(RevocationList.NormalizeSerial(TestPki.Server.SerialNumber), revoked);
        var policy = new CertificatePolicy { Root = TestPki.Root, Peer = ExpectedPeer.Server, RevokedSerials = revoked };
        Assert.Equal(CertificateFailure.Revoked, new CertificateValidator(policy).Validate(TestPki.Server, DateTimeOffset.UtcNow).Failure);
    }

    [Fact]
    public async Task Revocations_accumulate_and_a_repeat_is_not_listed_twice()
    {
        using var sandbox = WithPkiDirectory();

        CliAssert.Succeeded(await sandbox.RunAsync("pki", "revoke", "--serial", "01"));
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "revoke", "--serial", "02"));
        var repeat = await sandbox.RunAsync("pki", "revoke", "--serial", "serial=0001");

        CliAssert.Succeeded(repeat);
        Assert.Contains("already revoked", repeat.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["1", "2"], File.ReadAllLines(sandbox.File("pki/revoked.txt")));
    }

    [Fact]
    public async Task Keeps_what_an_operator_wrote_in_the_list()
    {
        using var sandbox = WithPkiDirectory();
        File.WriteAllText(sandbox.File("pki/revoked.txt"), "# laptop stolen 2026-03-01\nDEAD");

        CliAssert.Succeeded(await sandbox.RunAsync("pki", "revoke", "--serial", "BEEF"));

        Assert.Equal(["# laptop stolen 2026-03-01", "DEAD", "BEEF"], File.ReadAllLines(sandbox.File("pki/revoked.txt")));
    }

    [Theory]
    [InlineData("Say what to revoke")]
    [InlineData("not both", "--serial", "01", "--cert", "server.crt")]
    [InlineData("The serial 'xyz' is not a hexadecimal serial number", "--serial", "xyz")]
    [InlineData("The serial '' is not", "--serial", "")]
    [InlineData("missing.crt' does not exist", "--cert", "missing.crt")]
    [InlineData("The PKI directory 'nowhere' does not exist", "--serial", "01", "--pki", "nowhere")]
    public async Task Bad_input_is_one_sentence(string expected, params string[] flags)
    {
        using var sandbox = WithPkiDirectory();

        var result = await sandbox.RunAsync(["pki", "revoke", .. flags]);

        CliAssert.FailedWithOneSentence(result, expected);
        Assert.False(File.Exists(sandbox.File("pki/revoked.txt")));
    }

    [Fact]
    public async Task A_malformed_revocation_list_is_reported_not_overwritten()
    {
        using var sandbox = WithPkiDirectory();
        File.WriteAllText(sandbox.File("pki/revoked.txt"), "01\nnot-a-serial\n");

        var result = await sandbox.RunAsync("pki", "revoke", "--serial", "02");

        CliAssert.FailedWithOneSentence(result, "Line 2");
        Assert.Equal("01\nnot-a-serial\n", File.ReadAllText(sandbox.File("pki/revoked.txt")));
    }

    private static CliSandbox WithPkiDirectory()
    {
        var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("pki"));
        return sandbox;
    }
}
