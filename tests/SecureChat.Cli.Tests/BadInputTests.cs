using System.Net;
using System.Net.Sockets;
using SecureChat.Pki;

namespace SecureChat.Cli.Tests;

/// <summary>Every way a user can get <c>client</c>, <c>server</c> or <c>verify</c> wrong ends with a non-zero exit code
/// and one sentence on standard error that says what is wrong, never a stack trace. Exit code 2 means the input
/// was wrong (a file, a flag); 1 means the attempt failed (refused, unreachable, rejected).</summary>
public sealed class BadInputTests(ServerWithAccount server) : IClassFixture<ServerWithAccount>
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("ca.crt")]
    [InlineData("client.crt")]
    [InlineData("client.key")]
    public async Task A_client_with_a_missing_pki_file_names_it(string missing)
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("pki"));
        foreach (var name in new[] { "ca.crt", "client.crt", "client.key" }.Where(n => n != missing))
        {
            File.Copy(server.Pki(name), sandbox.File($"pki/{name}"));
        }

        var result = await RunClientAsync(sandbox, ScriptedClient.Login(server.Server.Address, "pki", ServerWithAccount.Username));

        CliAssert.FailedWithOneSentence(result, $"'pki/{missing}' does not exist");
    }

    [Fact]
    public async Task A_client_against_a_port_nobody_listens_on_cannot_reach_the_server()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var sandbox = new CliSandbox();
        var result = await RunClientAsync(sandbox, ScriptedClient.Login($"127.0.0.1:{port}", server.PkiDirectory, ServerWithAccount.Username));

        CliAssert.FailedWithOneSentence(result, "cannot reach the server", exitCode: 1);
    }

    [Fact]
    public async Task A_client_against_a_peer_that_speaks_something_else_says_so()
    {
        using var timeout = new CancellationTokenSource(PeerTimeout);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var peer = AnswerLikeAWebServerAsync(listener, timeout.Token);

        using var sandbox = new CliSandbox();
        var result = await RunClientAsync(sandbox, ScriptedClient.Login($"127.0.0.1:{port}", server.PkiDirectory, ServerWithAccount.Username));

        CliAssert.FailedWithOneSentence(result, "the peer does not speak SecureChat", exitCode: 1);
        await peer;
    }

    [Fact]
    public async Task A_client_presenting_a_server_certificate_is_refused_by_the_server_with_BAD_CERT()
    {
        using var sandbox = new CliSandbox();

        var result = await RunClientAsync(sandbox, ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username,
            "--cert", server.Pki("server.crt"), "--key", server.Pki("server.key")));

        CliAssert.FailedWithOneSentence(result, "the server refused", exitCode: 1);
        Assert.Contains("(BAD_CERT)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("client authentication", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_expecting_another_server_name_refuses_the_server_with_BAD_CERT()
    {
        using var sandbox = new CliSandbox();

        var result = await RunClientAsync(sandbox, ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username,
            "--server-name", "bank.local"));

        CliAssert.FailedWithOneSentence(result, "'bank.local'", exitCode: 1);
        Assert.Contains("(BAD_CERT)", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_failed_login_with_INVALID_CREDENTIALS()
    {
        using var sandbox = new CliSandbox();

        var result = await RunClientAsync(sandbox, ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username),
            "not the password");

        CliAssert.FailedWithOneSentence(result, "login failed", exitCode: 1);
        Assert.Contains("(INVALID_CREDENTIALS)", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task A_wrong_password_with_json_also_prints_the_auth_failed_event()
    {
        using var sandbox = new CliSandbox();

        var result = await RunClientAsync(sandbox,
            ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username, "--json"), "not the password either");

        CliAssert.FailedWithOneSentence(result, "login failed", exitCode: 1);
        var failed = Assert.Single(ClientOutput.Parse(result).Events);
        Assert.Equal("auth_failed", (string?)failed["event"]);
        Assert.Equal("INVALID_CREDENTIALS", (string?)failed["code"]);
    }

    [Fact]
    public async Task A_server_without_its_pki_folder_names_the_missing_file()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("server", "--listen", "127.0.0.1:0", "--pki", "nowhere");

        CliAssert.FailedWithOneSentence(result, "'nowhere/ca.crt' does not exist");
        Assert.False(Directory.Exists(sandbox.File("data")), "nothing should be created before the PKI loads");
    }

    [Fact]
    public async Task A_server_with_an_unknown_identity_mode_lists_the_valid_ones()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("server", "--listen", "127.0.0.1:0", "--pki", server.PkiDirectory, "--identity", "everyone");

        CliAssert.FailedWithOneSentence(result, "--identity must be 'shared' or 'per-user', not 'everyone'");
    }

    [Fact]
    public async Task A_server_on_a_port_in_use_says_it_cannot_listen_there()
    {
        using var sandbox = new CliSandbox();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        var result = await sandbox.RunAsync(
            ["server", "--listen", address, "--pki", server.PkiDirectory], new ChildProcessOptions { Environment = ChatEnvironment.Fast });

        CliAssert.FailedWithOneSentence(result, $"cannot listen on {address}", exitCode: 1);
        Assert.Contains("in use", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_a_missing_file_names_it()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync("verify", "--ca", server.CaCertificate, "missing.jsonl");

        CliAssert.FailedWithOneSentence(result, "file not found");
        Assert.Contains("missing.jsonl", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_a_directory_asks_for_the_files_in_it()
    {
        var result = await CliProcess.RunAsync(["verify", "--ca", server.CaCertificate, server.PkiDirectory]);

        CliAssert.FailedWithOneSentence(result, "is a directory");
    }

    [Fact]
    public async Task Verify_with_a_CA_that_did_not_issue_the_certificates_rejects_the_file()
    {
        using var sandbox = new CliSandbox();
        var otherCa = sandbox.File("other-ca.crt");
        PemFiles.SaveCertificate(otherCa, TestPki.Root);

        var (exitCode, report) = await Verifier.VerifyOneAsync(otherCa, server.ClientTranscript);
        var text = await Verifier.RunAsync(otherCa, server.ClientTranscript);

        Assert.Equal(1, exitCode);
        Verifier.AssertRejected(report, "certificate_invalid", 1);
        Assert.Contains("Root CA", (string?)report["first_failure"]!["reason"], StringComparison.Ordinal);
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("REJECTED", text.StandardOutput, StringComparison.Ordinal);
        CliAssert.NoStackTrace(text);

        // The right CA accepts the same file: the rejection is about the CA and nothing else.
        var (rightExitCode, rightReport) = await Verifier.VerifyOneAsync(server.CaCertificate, server.ClientTranscript);
        Assert.Equal(0, rightExitCode);
        Assert.True((bool)rightReport["accepted"]!);
    }

    private static Task<ChildProcessResult> RunClientAsync(CliSandbox sandbox, string[] arguments, string password = ScriptedClient.Password) =>
        ScriptedClient.RunAsync(sandbox, sandbox.Path, arguments, ScriptedClient.Input(password: password));

    // Sends what a web server answers to bytes it does not understand, then reads until the client hangs up, so that
    // closing never resets the connection before the client has read the answer.
    private static async Task AnswerLikeAWebServerAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        await socket.SendAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // The client may reset instead of closing; either way it has gone.
        }
    }
}
