using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

/// <summary><c>pki init --key p256</c> makes a PKI with no RSA anywhere in it, and the whole system runs on it: a server
/// and clients as child processes over real sockets, a message relayed between two users, every transcript accepted
/// by <c>verify</c>, and per-user enrolment (<c>pki request</c>, <c>pki sign</c>) under the P-256 CA.</summary>
public sealed class P256PkiTests
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_certificate_pki_init_makes_with_p256_is_a_P256_key_signed_with_ECDSA()
    {
        using var sandbox = new CliSandbox();

        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init", "--key", "p256"));

        foreach (var name in new[] { "ca", "server", "client" })
        {
            using var certificate = PemFiles.LoadCertificateWithKey(sandbox.File($"pki/{name}.crt"), sandbox.File($"pki/{name}.key"));
            Assert.Null(certificate.GetRSAPublicKey());
            using var key = certificate.GetECDsaPublicKey();
            Assert.Equal(256, key!.KeySize);
            Assert.Equal(EcdsaWithSha256, certificate.SignatureAlgorithm.Value);
        }
    }

    [Fact]
    public async Task A_rsa3072_pki_has_RSA3072_leaves_and_CA()
    {
        using var sandbox = new CliSandbox();

        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init", "--key", "rsa3072"));

        foreach (var name in new[] { "ca", "server", "client" })
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(sandbox.File($"pki/{name}.crt"));
            using var key = certificate.GetRSAPublicKey();
            Assert.Equal(3072, key!.KeySize);
        }
    }

    [Fact]
    public async Task A_message_is_relayed_between_two_users_and_every_transcript_verifies()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init", "--key", "p256"));
        var pki = sandbox.File("pki");
        var server = await ChatServerProcess.StartAsync(sandbox, pki, sandbox.Path, ChatEnvironment.NoPresenceNotices);

        var bob = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki, "bob", "--receive", "1", "--timeout", "120"), ScriptedClient.Input());
        var alice = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki, "alice", "--send", "hello over P-256"), ScriptedClient.Input());
        var bobEnded = await bob.WaitForExitAsync(ClientTimeout);
        var stopped = await server.StopAsync();

        CliAssert.Succeeded(alice);
        CliAssert.Succeeded(bobEnded);
        Assert.Equal(0, stopped.ExitCode);
        Assert.Equal([("alice", "hello over P-256")], ClientOutput.Parse(bobEnded).ChatMessages);
        string[] transcripts =
        [
            .. server.TranscriptFiles(),
            ClientOutput.Parse(alice).TranscriptPath(sandbox.Path),
            ClientOutput.Parse(bobEnded).TranscriptPath(sandbox.Path),
        ];
        Assert.Equal(4, transcripts.Length);
        var (verified, reports) = await Verifier.RunJsonAsync(sandbox.File("pki/ca.crt"), transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.All(reports, report => Verifier.AssertAccepted(report, complete: true));
    }

    [Fact]
    public async Task A_user_enrolled_under_a_P256_CA_registers_on_a_per_user_server()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init", "--key", "p256"));
        var pki = sandbox.File("pki");
        var email = ScriptedClient.Email("alice");
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "request", "--name", email, "--key", "p256", "--out", "alice"));
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "sign", "--pki", pki, "--csr", $"alice/{email}.csr", "--role", "user"));
        var server = await ChatServerProcess.StartAsync(
            sandbox, pki, sandbox.File("server"), ChatEnvironment.NoPresenceNotices, "--identity", "per-user");

        var alice = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki, "alice", "--cert", sandbox.File($"alice/{email}.crt"),
                "--key", sandbox.File($"alice/{email}.key"), "--send", "signed by my own P-256 key"),
            ScriptedClient.Input());
        var stopped = await server.StopAsync();

        CliAssert.Succeeded(alice);
        Assert.Equal(0, stopped.ExitCode);
        var (verified, report) = await Verifier.VerifyOneAsync(sandbox.File("pki/ca.crt"), ClientOutput.Parse(alice).TranscriptPath(sandbox.Path));
        Assert.True(verified == 0, report.ToString());
        Verifier.AssertAccepted(report, complete: true);
        Assert.Equal($"CN={email}", (string?)report["client_certificate_subject"]);
    }
}
