namespace SecureChat.Cli.Tests;

/// <summary>The scripted client in pipelines: a refused line does not end the session, a missed <c>--receive</c> is a
/// failure, and the exit code is 0 (receipts verified), 1 (the session failed or something was refused) or 2 (the
/// command line or a file was wrong), nothing else.</summary>
public sealed class ClientScriptingTests(ServerWithAccount server) : IClassFixture<ServerWithAccount>
{
    [Fact]
    public async Task A_line_too_long_to_send_is_refused_and_the_session_goes_on_to_its_receipts()
    {
        using var sandbox = new CliSandbox();
        var lines = new[] { "before", new string('x', 20_000), "after" };

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username, "--json"), ScriptedClient.Input(lines));

        Assert.True(result.ExitCode == 1, result.ToString());
        CliAssert.NoStackTrace(result);
        var output = ClientOutput.Parse(result);
        var refused = Assert.Single(output.Events, e => (string?)e["event"] == "refused");
        Assert.Equal(2, (int)refused["line"]!);
        Assert.Contains("16384 bytes", (string?)refused["reason"], StringComparison.Ordinal);
        Assert.True((bool)output.End["receipts_matched"]!, result.ToString());
        Assert.Equal(1, (int)output.End["refused_lines"]!);
        Assert.Contains("message 2 not sent", result.StandardError, StringComparison.Ordinal);

        // Both other lines were sent and signed: the transcript holds two messages from this client.
        var (exitCode, report) = await Verifier.VerifyOneAsync(server.CaCertificate, output.TranscriptPath(sandbox.Path));
        Assert.Equal(0, exitCode);
        Assert.Equal(2, (int)report["client_to_server_messages"]!);
    }

    [Fact]
    public async Task Receive_that_times_out_exits_1_with_TIMEOUT_in_the_end_event()
    {
        using var sandbox = new CliSandbox();

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username, "--json", "--receive", "1", "--timeout", "1"),
            ScriptedClient.Input());

        Assert.True(result.ExitCode == 1, result.ToString());
        var end = ClientOutput.Parse(result).End;
        Assert.Equal("TIMEOUT", (string?)end["error"]);
        Assert.Contains("received 0 of 1", (string?)end["reason"], StringComparison.Ordinal);
        Assert.True((bool)end["receipts_matched"]!);
        Assert.Contains("received 0 of 1 messages before the timeout", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_and_register_together_is_a_usage_error()
    {
        using var sandbox = new CliSandbox();

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username, "--register", "--username", "x"),
            ScriptedClient.Input());

        CliAssert.FailedWithOneSentence(result, "--register and --login exclude each other");
    }

    [Fact]
    public async Task An_unknown_host_name_is_reported_as_such_not_as_a_malformed_address()
    {
        using var sandbox = new CliSandbox();

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login("nosuchhost.invalid:7443", server.PkiDirectory, ServerWithAccount.Username), ScriptedClient.Input());

        CliAssert.FailedWithOneSentence(result, "cannot reach the server", exitCode: 1);
        Assert.DoesNotContain("HOST:PORT", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7443")]
    [InlineData("host:")]
    [InlineData("host:70000")]
    [InlineData("::1:7443")]
    public async Task A_malformed_address_is_a_usage_error(string address)
    {
        using var sandbox = new CliSandbox();

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(address, server.PkiDirectory, ServerWithAccount.Username), ScriptedClient.Input());

        CliAssert.FailedWithOneSentence(result, "is not HOST:PORT");
    }

    [Fact]
    public async Task A_private_key_readable_by_others_is_refused_with_the_fix()
    {
        using var sandbox = new CliSandbox();
        var key = sandbox.File("client.key");
        File.Copy(server.Pki("client.key"), key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username, "--cert", server.Pki("client.crt"), "--key", key),
            ScriptedClient.Input());

        CliAssert.FailedWithOneSentence(result, "chmod 600");
    }

    [Fact]
    public async Task A_command_line_that_does_not_parse_exits_2()
    {
        var result = await CliProcess.RunAsync(["client", "--no-such-flag"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        CliAssert.NoStackTrace(result);
    }

    [Fact]
    public async Task A_folder_given_as_the_CA_certificate_is_named_as_a_folder()
    {
        using var sandbox = new CliSandbox();

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Server.Address, server.PkiDirectory, ServerWithAccount.Username, "--ca", server.PkiDirectory),
            ScriptedClient.Input());

        CliAssert.FailedWithOneSentence(result, "is a folder");
    }
}
