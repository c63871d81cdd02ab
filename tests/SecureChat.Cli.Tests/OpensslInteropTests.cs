namespace SecureChat.Cli.Tests;

/// <summary>A PKI made with nothing but the <c>openssl</c> command line (a plain <c>req -x509</c> CA, <c>x509 -req</c>
/// leaves without extensions) works for <c>server</c>, <c>client</c> and <c>verify</c>: SecureChat does not depend on
/// its own <c>pki</c> verbs. (The other direction, <c>pki</c> certificates under <c>openssl verify</c>, is in the pki tests.)</summary>
public sealed class OpensslInteropTests
{
    [Fact]
    public async Task Certificates_made_by_openssl_carry_a_whole_chat_and_its_audit()
    {
        using var sandbox = new CliSandbox();
        var pki = sandbox.File("pki");
        await MakePkiAsync(pki);
        var server = await ChatServerProcess.StartAsync(sandbox, pki, sandbox.Path, ChatEnvironment.NoPresenceNotices);

        var bob = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki, "bob", "--receive", "1", "--timeout", "120"), ScriptedClient.Input());
        var alice = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki, "alice", "--send", "signed by an openssl key"), ScriptedClient.Input());
        var bobResult = await bob.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var stopped = await server.StopAsync();

        CliAssert.Succeeded(alice);
        CliAssert.Succeeded(bobResult);
        Assert.Equal(0, stopped.ExitCode);
        Assert.Equal([("alice", "signed by an openssl key")], ClientOutput.Parse(bobResult).ChatMessages);
        var transcripts = Directory.GetFiles(sandbox.File("data"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(4, transcripts.Length);
        var (verified, reports) = await Verifier.RunJsonAsync(Path.Combine(pki, "ca.crt"), transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        foreach (var report in reports)
        {
            Verifier.AssertAccepted(report, complete: true);
            Assert.Equal("CN=client.local", (string?)report["client_certificate_subject"]);
            Assert.Equal("CN=server.local", (string?)report["server_certificate_subject"]);
        }
    }

    private static async Task MakePkiAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        await OpensslAsync(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-days", "30", "-subj", "/CN=Interop Root CA");
        foreach (var name in new[] { "server", "client" })
        {
            await OpensslAsync(directory, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{name}.key", "-out", $"{name}.csr",
                "-subj", $"/CN={name}.local");
            await OpensslAsync(directory, "x509", "-req", "-in", $"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", $"{name}.crt", "-days", "7");
            var text = await OpensslAsync(directory, "x509", "-in", $"{name}.crt", "-noout", "-text");
            Assert.DoesNotContain("X509v3 extensions", text, StringComparison.Ordinal);
        }
    }

    private static async Task<string> OpensslAsync(string directory, params string[] arguments)
    {
        var result = await Openssl.RunAsync(directory, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }
}
