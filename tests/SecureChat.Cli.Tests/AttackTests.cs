namespace SecureChat.Cli.Tests;

/// <summary><c>securechat attack SCENARIO</c> in local mode: it starts its own server, runs the attack through a real TCP
/// man in the middle and succeeds only if every attempt was refused, with the error code that names the defence.</summary>
public sealed class AttackTests
{
    private static readonly TimeSpan AttackTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("eavesdrop", "not present (it travels only under k_auth)", "not present (AES-128-GCM under k_chat)", "receipts matched")]
    [InlineData("tamper", "SIG_FAIL")]
    [InlineData("replay", "REPLAY")]
    [InlineData("bad-cert", "server refused: BAD_CERT", "client refused: BAD_CERT")]
    [InlineData("mitm", "server refused: SIG_FAIL", "client refused: SIG_FAIL")]
    [InlineData("bruteforce", "INVALID_CREDENTIALS", "AUTH_FAILED", "RATE_LIMITED")]
    public async Task Every_attempt_is_refused_with_the_code_of_its_defence(string scenario, params string[] expected)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["attack", scenario], new ChildProcessOptions { Timeout = AttackTimeout });

        CliAssert.Succeeded(result);
        var output = Unwrapped(result.StandardOutput);
        Assert.Contains($"attack: {scenario}", output, StringComparison.Ordinal);
        Assert.Contains("every attempt was refused", output, StringComparison.Ordinal);
        Assert.DoesNotContain("an attempt succeeded", output, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Path));
    }

    [Fact]
    public async Task An_unknown_scenario_lists_the_known_ones()
    {
        var result = await CliProcess.RunAsync(["attack", "teleport"]);

        CliAssert.FailedWithOneSentence(result, "Unknown scenario 'teleport'; choose one of: eavesdrop, tamper, replay, bad-cert, mitm, bruteforce");
    }

    // The report is a table whose cells wrap at the console width; joining each row's cell fragments back together
    // lets a phrase be found whatever the width. Cells are separated by the box-drawing bar.
    private static string Unwrapped(string output)
    {
        var cells = new List<System.Text.StringBuilder>();
        var text = new System.Text.StringBuilder();
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split('│');
            if (parts.Length < 3)
            {
                Flush();
                text.AppendLine(line);
                continue;
            }

            var row = parts[1..^1].Select(p => p.Trim()).ToArray();
            if (cells.Count != row.Length)
            {
                Flush();
                cells.AddRange(row.Select(_ => new System.Text.StringBuilder()));
            }

            for (var i = 0; i < row.Length; i++)
            {
                if (row[i].Length > 0)
                {
                    cells[i].Append(cells[i].Length > 0 ? " " : "").Append(row[i]);
                }
            }
        }

        Flush();
        return text.ToString();

        void Flush()
        {
            if (cells.Count > 0)
            {
                text.AppendLine(string.Join(" | ", cells));
                cells.Clear();
            }
        }
    }
}
