using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests;

/// <summary><c>verify</c> in scripts: every JSON record names its file, piped text is never cut, a totals line
/// closes the output, a usage error exits 2 before any file is audited, and a file without receipts says so.</summary>
public sealed class VerifyScriptingTests(ServerWithAccount server) : IClassFixture<ServerWithAccount>
{
    [Fact]
    public async Task Json_records_name_their_file_and_a_totals_line_closes_the_output()
    {
        using var sandbox = new CliSandbox();
        var incomplete = WithoutReceipts(sandbox);

        var result = await CliProcess.RunAsync(["verify", "--json", "--ca", server.CaCertificate, server.ClientTranscript, incomplete]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var records = result.StandardOutputLines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal(server.ClientTranscript, (string?)records[0]["file"]);
        Assert.Equal(incomplete, (string?)records[1]["file"]);
        var totals = records[2]["totals"]!;
        Assert.Equal(2, (int)totals["files"]!);
        Assert.Equal(1, (int)totals["complete"]!);
        Assert.Equal(1, (int)totals["incomplete"]!);
        Assert.Equal(0, (int)totals["rejected"]!);
    }

    [Fact]
    public async Task Piped_text_keeps_long_file_names_whole_and_ends_with_totals()
    {
        using var sandbox = new CliSandbox();
        var longName = sandbox.File(new string('t', 120) + ".jsonl");
        File.Copy(server.ClientTranscript, longName);

        var result = await CliProcess.RunAsync(["verify", "--ca", server.CaCertificate, longName]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{longName}: ACCEPTED, complete", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("1 file: 1 accepted (1 complete, 0 without receipts), 0 rejected", result.StandardOutputLines[^1]);
    }

    [Fact]
    public async Task A_file_without_receipts_says_so_never_line_0_and_fails_with_require_receipts()
    {
        using var sandbox = new CliSandbox();
        var incomplete = WithoutReceipts(sandbox);

        var plain = await CliProcess.RunAsync(["verify", "--ca", server.CaCertificate, incomplete]);
        var strict = await CliProcess.RunAsync(["verify", "--require-receipts", "--ca", server.CaCertificate, incomplete]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("ACCEPTED, incomplete: no receipts", plain.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("line 0", plain.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("end of file", plain.StandardOutput, StringComparison.Ordinal);
        Assert.True(strict.ExitCode == 1, strict.ToString());
    }

    [Fact]
    public async Task A_usage_error_exits_2_before_any_file_is_audited()
    {
        var missingFlag = await CliProcess.RunAsync(["verify", server.ClientTranscript]);
        var missingFile = await CliProcess.RunAsync(["verify", "--ca", server.CaCertificate, server.ClientTranscript, "missing.jsonl"]);

        Assert.True(missingFlag.ExitCode == 2, missingFlag.ToString());
        CliAssert.FailedWithOneSentence(missingFile, "missing.jsonl");
        Assert.Empty(missingFile.StandardOutput);
    }

    [Fact]
    public async Task A_folder_given_as_the_CA_is_named_as_a_folder_not_a_permission_problem()
    {
        var result = await CliProcess.RunAsync(["verify", "--ca", server.PkiDirectory, server.ClientTranscript]);

        CliAssert.FailedWithOneSentence(result, "is a folder");
        Assert.DoesNotContain("denied", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    private string WithoutReceipts(CliSandbox sandbox)
    {
        var transcript = TranscriptEditor.Load(server.ClientTranscript);
        var firstReceipt = Math.Min(transcript.ReceiptLine("client"), transcript.ReceiptLine("server"));
        return transcript.KeepFirst(firstReceipt - 1).Save(sandbox.File("incomplete.jsonl"));
    }
}
