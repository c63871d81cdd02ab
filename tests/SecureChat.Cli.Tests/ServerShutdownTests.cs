using SecureChat.Evidence;
using SecureChat.Evidence.Audit;

namespace SecureChat.Cli.Tests;

/// <summary>What a server leaves behind when it is stopped in the middle of conversations: killed outright
/// (SIGKILL, a crash or power loss) or asked to stop (SIGTERM, Ctrl-C, a service manager).</summary>
public sealed class ServerShutdownTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    private static readonly TimeSpan ClientExit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_SIGKILL_right_after_the_header_the_server_transcript_holds_it_whole_and_verifies()
    {
        using var sandbox = new CliSandbox();

        // No presence notices: nothing is flushed to the disk after the header, which the process has only handed
        // to the operating system when it dies.
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.Path,
            new Dictionary<string, string?> { ["SECURECHAT_PRESENCENOTICELIMIT"] = "0" });
        var bob = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "bob", "--receive", "1", "--timeout", "120"), ScriptedClient.Input());

        // bob's session is established (StartAsync waited for it), so the server has written the header.
        server.Process.Kill();
        Assert.Equal(128 + 9, (await server.Process.WaitForExitAsync()).ExitCode);
        await bob.WaitForExitAsync(ClientExit);

        var file = Assert.Single(server.TranscriptFiles());
        var lines = ReadCompleteLines(file, out var torn);
        Assert.False(torn);
        Assert.IsType<TranscriptHeader>(TranscriptJson.TryParse(Assert.Single(lines).Span));
        var (exitCode, report) = await Verifier.VerifyOneAsync(pki.CaCertificate, file);
        Assert.True(exitCode == 0, report.ToJsonString());
        Verifier.AssertAccepted(report, complete: false);
    }

    [Fact]
    public async Task After_SIGKILL_every_server_transcript_parses_and_verifies_up_to_its_last_complete_line()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.Path);
        var bob = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "bob", "--receive", "100000", "--timeout", "120"), ScriptedClient.Input());
        var alice = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "alice"),
            ScriptedClient.Input(Enumerable.Range(1, 5000).Select(i => $"message {i} of a long conversation")));

        // bob has seen some of alice's messages and she is still sending: the server dies mid-conversation.
        for (var i = 0; i < 20; i++)
        {
            await bob.WaitForOutputAsync("\"kind\":\"chat\"", stream: OutputStream.StandardOutput);
        }

        server.Process.Kill();
        Assert.Equal(128 + 9, (await server.Process.WaitForExitAsync()).ExitCode);

        var bobResult = await bob.WaitForExitAsync(ClientExit);
        CliAssert.FailedWithOneSentence(bobResult, "the session ended without matching receipts", exitCode: 1);
        var end = ClientOutput.Parse(bobResult).End;
        Assert.False((bool)end["receipts_matched"]!);
        Assert.Equal("PROTOCOL_ERROR", (string?)end["error"]);

        // alice is cut off while sending or while waiting for the server's receipt; either way one sentence.
        var aliceResult = await alice.WaitForExitAsync(ClientExit);
        CliAssert.FailedWithOneSentence(aliceResult, "", exitCode: 1);

        var files = server.TranscriptFiles();
        Assert.Equal(2, files.Count);
        var messages = 0;
        foreach (var file in files)
        {
            var lines = ReadCompleteLines(file, out var torn);
            var records = lines.Select((line, index) =>
                TranscriptJson.TryParse(line.Span) ?? throw new InvalidOperationException($"{file} line {index + 1} does not parse")).ToList();
            Assert.IsType<TranscriptHeader>(records[0]);
            Assert.DoesNotContain(records, r => r is TranscriptReceiptLine);
            messages += records.Count(r => r is TranscriptMessageLine);

            var (exitCode, report) = await Verifier.VerifyOneAsync(pki.CaCertificate, file);
            Assert.True(exitCode == 0, report.ToJsonString());
            Verifier.AssertAccepted(report, complete: false);
            Assert.Equal(torn, (bool)report["truncated"]!);
            Assert.Equal(lines.Count, (int)report["lines_read"]!);
            Assert.Equal(records.Count(r => r is TranscriptMessageLine), (int)report["messages_verified"]!);
        }

        Assert.True(messages >= 20, $"only {messages} messages were logged");

        // The clients' own records of the cut sessions hold up too.
        var clientFiles = Directory.GetFiles(sandbox.File("data/client-transcripts"), "*.jsonl", SearchOption.AllDirectories);
        var (verified, reports) = await Verifier.RunJsonAsync(pki.CaCertificate, clientFiles);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.All(reports, r => Verifier.AssertAccepted(r, complete: false));
    }

    [Fact]
    public async Task On_SIGTERM_the_server_ends_every_session_with_receipts_and_exits_0()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.Path);
        var waiting = new Dictionary<string, RunningProcess>();
        foreach (var name in new[] { "bob", "carol" })
        {
            waiting[name] = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
                ScriptedClient.Register(server.Address, pki.Directory, name, "--receive", "100", "--timeout", "120"), ScriptedClient.Input());
        }

        const string Text = "the last message before the shutdown";
        CliAssert.Succeeded(await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "dave", "--send", Text), ScriptedClient.Input()));
        foreach (var client in waiting.Values)
        {
            await client.WaitForOutputAsync(Text, stream: OutputStream.StandardOutput);
        }

        var stopped = await server.StopAsync();

        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("every open session was ended with receipts", stopped.StandardOutput, StringComparison.Ordinal);
        CliAssert.NoStackTrace(stopped);
        var sessions = new Dictionary<string, string>();
        foreach (var (name, client) in waiting)
        {
            var result = await client.WaitForExitAsync(ClientExit);
            CliAssert.Succeeded(result);
            var output = ClientOutput.Parse(result);
            Assert.True((bool)output.End["receipts_matched"]!, result.ToString());
            Assert.Contains(("dave", Text), output.ChatMessages);
            sessions[name] = output.SessionId;
        }

        var files = server.TranscriptFiles();
        Assert.Equal(3, files.Count);
        foreach (var (name, session) in sessions)
        {
            var file = Assert.Single(files, f => f.EndsWith($"-server-{session}.jsonl", StringComparison.Ordinal));
            var transcript = TranscriptEditor.Load(file);

            // The server asked first; the client answered.
            Assert.True(transcript.ReceiptLine("server") < transcript.ReceiptLine("client"), $"{name}:\n{transcript.Text}");
            var (exitCode, report) = await Verifier.VerifyOneAsync(pki.CaCertificate, file);
            Assert.Equal(0, exitCode);
            Verifier.AssertAccepted(report, complete: true);
            Assert.Equal(2, (int)report["receipts_verified"]!);
        }

        var (all, reports) = await Verifier.RunJsonAsync(pki.CaCertificate, [.. files]);
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.All(reports, r => Assert.True((bool)r["accepted"]!, r.ToJsonString()));
    }

    private static IReadOnlyList<ReadOnlyMemory<byte>> ReadCompleteLines(string file, out bool torn) =>
        TranscriptAuditor.SplitLines(File.ReadAllBytes(file), out torn);
}
