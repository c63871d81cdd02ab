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

    [Fact]
    public async Task A_kept_demo_is_never_overwritten_without_force()
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("kept/pki"));
        File.WriteAllText(sandbox.File("kept/pki/ca.crt"), "the CA the kept transcripts need");

        var result = await sandbox.RunAsync("demo", "--keep", "kept");

        CliAssert.FailedWithOneSentence(result, "--force");
        Assert.Equal("the CA the kept transcripts need", File.ReadAllText(sandbox.File("kept/pki/ca.crt")));
    }

    [Fact]
    public async Task With_force_a_kept_demo_is_replaced_whole_and_everything_in_it_verifies()
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("kept/pki"));
        Directory.CreateDirectory(sandbox.File("kept/server-transcripts"));
        File.WriteAllText(sandbox.File("kept/pki/ca.crt"), "an older CA");
        File.WriteAllText(sandbox.File("kept/server-transcripts/old.jsonl"), "{}\n");

        var result = await sandbox.RunAsync(["demo", "--keep", "kept", "--force"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);
        var transcripts = Directory.GetFiles(sandbox.File("kept"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(4, transcripts.Length);
        var (verified, _) = await Verifier.RunJsonAsync(sandbox.File("kept/pki/ca.crt"), transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }
}
