namespace SecureChat.Cli.Tests;

/// <summary><c>securechat demo</c>, the first command of the README.</summary>
public sealed class DemoTests
{
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_demo_runs_every_step_to_completion()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["demo"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);
        Assert.Contains("demo complete", result.StandardOutput, StringComparison.Ordinal);
        foreach (var step in new[] { "1. Authenticity", "5. Non-repudiation", "6. Offline audit", "7. Tamper evidence" })
        {
            Assert.Contains(step, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Path));
    }

    [Fact]
    public async Task The_files_a_kept_demo_leaves_pass_the_verify_command_and_the_tampered_copy_does_not()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["demo", "--keep", "kept"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);
        Assert.Contains("demo complete", result.StandardOutput, StringComparison.Ordinal);
        var ca = sandbox.File("kept/pki/ca.crt");
        var transcripts = Directory.GetFiles(sandbox.File("kept"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(4, transcripts.Length);
        var (verified, reports) = await Verifier.RunJsonAsync(ca, transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.All(reports, r => Verifier.AssertAccepted(r, complete: true));

        var tampered = Assert.Single(Directory.GetFiles(sandbox.File("kept"), "*.tampered", SearchOption.AllDirectories));
        var (exitCode, report) = await Verifier.VerifyOneAsync(ca, tampered);
        Assert.Equal(1, exitCode);
        Assert.Equal("bad_message_signature", (string?)report["first_failure"]!["kind"]);
    }
}
