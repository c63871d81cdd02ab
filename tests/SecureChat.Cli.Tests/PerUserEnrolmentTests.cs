namespace SecureChat.Cli.Tests;

/// <summary>A certificate obtained with <c>pki request</c> and <c>pki sign</c> is what a per-user server
/// (<c>--identity per-user</c>) wants: its holder registers as the address it names, and the evidence of the session
/// is signed with the key that never left the user's folder.</summary>
public sealed class PerUserEnrolmentTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    [Fact]
    public async Task An_enrolled_user_registers_on_a_per_user_server_and_the_audit_names_that_user()
    {
        using var sandbox = new CliSandbox();
        var email = ScriptedClient.Email("alice");
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "request", "--name", email, "--key", "p256", "--out", "alice"));
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "sign", "--pki", pki.Directory, "--csr", $"alice/{email}.csr", "--role", "user"));
        string[] ownIdentity = ["--cert", sandbox.File($"alice/{email}.crt"), "--key", sandbox.File($"alice/{email}.key")];
        var server = await ChatServerProcess.StartAsync(
            sandbox, pki.Directory, sandbox.File("server"), ChatEnvironment.NoPresenceNotices, "--identity", "per-user");

        var alice = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "alice", ownIdentity), ScriptedClient.Input());
        var impostor = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "mallory", ownIdentity), ScriptedClient.Input());
        var stopped = await server.StopAsync();

        CliAssert.Succeeded(alice);
        Assert.NotEqual(0, impostor.ExitCode);
        Assert.Contains("INVALID_CREDENTIALS", impostor.StandardOutput + impostor.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, stopped.ExitCode);
        var transcript = ClientOutput.Parse(alice).TranscriptPath(sandbox.Path);
        var (verified, report) = await Verifier.VerifyOneAsync(pki.CaCertificate, transcript);
        Assert.True(verified == 0, report.ToString());
        Verifier.AssertAccepted(report, complete: true);
        Assert.Equal($"CN={email}", (string?)report["client_certificate_subject"]);
    }
}
