using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureChat.Cli.Tests;

/// <summary>The process helpers every end-to-end test relies on, exercised with <c>sh</c> so that a failure here
/// points at the helper and not at <c>securechat</c>.</summary>
public sealed class ChildProcessTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Captures_both_streams_completely_and_the_exit_code()
    {
        // More than a pipe buffer (64 KiB) on each stream: a helper that reads one stream after the other deadlocks.
        var result = await Shell("head -c 300000 /dev/zero | tr '\\0' o; head -c 200000 /dev/zero | tr '\\0' e >&2; exit 5");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal(new string('o', 300000), result.StandardOutput);
        Assert.Equal(new string('e', 200000), result.StandardError);
    }

    [Fact]
    public async Task Passes_text_to_standard_input_and_closes_it()
    {
        var result = await ChildProcess.RunAsync("cat", [], new ChildProcessOptions { StandardInput = "line one\nzwei – ✓\n" });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("line one\nzwei – ✓\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_run_without_input_reads_end_of_file_instead_of_hanging()
    {
        var result = await ChildProcess.RunAsync("cat", [], new ChildProcessOptions { Timeout = TimeSpan.FromSeconds(10) });

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task Sets_and_removes_environment_variables()
    {
        Assert.NotNull(Environment.GetEnvironmentVariable("PATH"));
        var options = new ChildProcessOptions
        {
            Environment = new Dictionary<string, string?> { ["SECURECHAT_TEST_VALUE"] = "a b", ["HOME"] = null },
        };

        var result = await ChildProcess.RunAsync("sh", ["-c", "echo \"$SECURECHAT_TEST_VALUE|${HOME-removed}\""], options);

        Assert.Equal("a b|removed\n", result.StandardOutput);
    }

    [Fact]
    public async Task Runs_in_the_given_working_directory()
    {
        using var directory = new TemporaryDirectory();

        var result = await ChildProcess.RunAsync("pwd", [], new ChildProcessOptions { WorkingDirectory = directory.Path });

        Assert.Equal(directory.Path, result.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_run_that_exceeds_its_timeout_is_killed_with_its_children()
    {
        await using var process = ChildProcess.Start("sh", ["-c", "sleep 300 & echo child=$!; wait"]);
        var child = int.Parse(
            (await process.WaitForOutputAsync(new Regex("child=(\\d+)"))).Groups[1].Value, CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => process.WaitForExitAsync(Short));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.True(process.HasExited);
        await AssertGoneAsync(child);
    }

    [Fact]
    public async Task RunAsync_throws_on_timeout_with_the_output_so_far()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            ChildProcess.RunAsync("sh", ["-c", "echo started; sleep 300"], new ChildProcessOptions { Timeout = Short }));

        Assert.Contains("started", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sees_a_prompt_without_a_newline_and_answers_it()
    {
        await using var process = ChildProcess.Start("sh", ["-c", "printf 'name> '; read name; echo \"hello $name\""]);

        await process.WaitForOutputAsync("name> ", stream: OutputStream.StandardOutput);
        await process.WriteLineAsync("bob");
        await process.WaitForOutputAsync("hello bob");
        var result = await process.WaitForExitAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("name> hello bob\n", result.StandardOutput);
    }

    [Fact]
    public async Task Waits_consume_output_in_order_like_expect()
    {
        await using var process = ChildProcess.Start("sh", ["-c", "echo tick; echo tock >&2; echo tick; echo done"]);

        await process.WaitForOutputAsync("tick");
        await process.WaitForOutputAsync("tick");
        await process.WaitForOutputAsync("tock", stream: OutputStream.StandardError);
        await process.WaitForOutputAsync("done");

        // Both ticks are used up; once the streams close, a third wait fails at once instead of timing out.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => process.WaitForOutputAsync("tick"));
        Assert.Contains("done", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_for_output_that_never_comes_times_out()
    {
        await using var process = ChildProcess.Start("sh", ["-c", "echo something else; sleep 300"]);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => process.WaitForOutputAsync("never", Short));

        Assert.Contains("something else", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_sends_SIGTERM_so_the_process_can_shut_down_cleanly()
    {
        await using var process = ChildProcess.Start(
            "sh", ["-c", "trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.1; done"]);
        await process.WaitForOutputAsync("ready");

        var result = await process.StopAsync();

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("got TERM", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_kills_a_process_that_ignores_SIGTERM_and_says_so()
    {
        await using var process = ChildProcess.Start("sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"]);
        await process.WaitForOutputAsync("ready");

        await Assert.ThrowsAsync<TimeoutException>(() => process.StopAsync(Short));

        Assert.True(process.HasExited);
    }

    [Fact]
    public async Task Kill_sends_SIGKILL()
    {
        await using var process = ChildProcess.Start("sh", ["-c", "trap '' TERM; echo ready; sleep 300"]);
        await process.WaitForOutputAsync("ready");

        process.Kill();
        var result = await process.WaitForExitAsync();

        Assert.Equal(128 + 9, result.ExitCode);
    }

    [Fact]
    public async Task CliProcess_runs_the_built_securechat()
    {
        var result = await CliProcess.RunAsync(["--help"]);

        CliAssert.Succeeded(result);
        Assert.Contains("securechat", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(CliProcess.HostPath));
    }

    [Fact]
    public async Task A_sandbox_runs_in_its_directory_and_kills_what_it_started_on_dispose()
    {
        RunningProcess process;
        string path;
        using (var sandbox = new CliSandbox())
        {
            path = sandbox.Path;

            // Opening a FIFO blocks until someone writes to it, which makes a long-running securechat out of a short verb.
            Assert.Equal(0, (await ChildProcess.RunAsync("mkfifo", [sandbox.File("fifo")])).ExitCode);
            process = sandbox.Start("pki", "show", "fifo");
            await Task.Delay(500);
            Assert.False(process.HasExited, process.Describe());
        }

        Assert.True(process.HasExited);
        Assert.False(Directory.Exists(path));
    }

    private static Task<ChildProcessResult> Shell(string script) => ChildProcess.RunAsync("sh", ["-c", script]);

    // A killed grandchild may linger as a zombie when the container's init does not reap; that still means dead.
    private static async Task AssertGoneAsync(int processId)
    {
        var stat = $"/proc/{processId}/stat";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (!File.Exists(stat) || ReadState(stat) is 'Z' or 'X')
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"process {processId} is still running");
    }

    private static char ReadState(string stat)
    {
        try
        {
            // The state follows the parenthesised command name, which may itself contain spaces.
            var text = File.ReadAllText(stat);
            return text[text.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return 'X';
        }
    }
}
