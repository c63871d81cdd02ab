using System.Diagnostics;

namespace SecureChat.Cli.Tests.Support;

/// <summary><c>securechat</c> in a real terminal: a detached <c>tmux</c> session of its own (private socket), fed
/// keys with <c>send-keys</c> and read with <c>capture-pane</c>. When the command ends, the pane shows
/// <c>[exit N]</c> and stays open so the screen can still be read.</summary>
public sealed class TmuxTerminal : IDisposable
{
    private readonly string _socket = $"securechat-test-{Guid.NewGuid():N}";

    private TmuxTerminal()
    {
    }

    /// <summary>Starts <c>securechat ARGS</c> in <paramref name="workingDirectory"/> on a terminal of the given size.</summary>
    public static TmuxTerminal Start(string workingDirectory, IEnumerable<string> arguments, int width = 120, int height = 40)
    {
        var terminal = new TmuxTerminal();
        var command = string.Join(' ', new[] { CliProcess.HostPath, CliProcess.AssemblyPath }.Concat(arguments).Select(Quote));
        terminal.Run("new-session", "-d", "-x", $"{width}", "-y", $"{height}", "-c", workingDirectory,
            $"{command}; echo \"[exit $?]\"; sleep 600");
        return terminal;
    }

    /// <summary>Types text literally (no key names), in pieces tmux accepts.</summary>
    public void Type(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var piece in text.Chunk(1000))
        {
            Run("send-keys", "-t", "0", "-l", new string(piece));
        }
    }

    /// <summary>Presses keys by tmux name: <c>Enter</c>, <c>Left</c>, <c>Up</c>, <c>C-c</c>, <c>C-d</c>.</summary>
    public void Press(params string[] keys) => Run(["send-keys", "-t", "0", .. keys]);

    /// <summary>The visible screen.</summary>
    public string Screen() => Run("capture-pane", "-p", "-t", "0");

    /// <summary>Waits until the screen shows <paramref name="text"/>; returns the screen.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="timeout"/> (default 30 s); the message holds the screen.</exception>
    public async Task<string> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var screen = Screen();
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return screen;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"the terminal never showed '{text}'; screen:\n{screen}");
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Run("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Why terminal tests cannot run here, or null: tmux is missing locally (with <c>CI=true</c> never skipped).</summary>
    public static string? SkipReason() =>
        MySqlTestEnvironment.IsCi || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "tmux")))
            ? null
            : "terminal tests skipped: tmux not on PATH (with CI=true they fail instead)";

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string Run(params string[] arguments)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("tmux did not start");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"tmux {arguments[0]}: {error}");
    }
}

/// <summary>A fact that needs a real terminal (tmux): skipped with a reason when tmux is missing locally, never with <c>CI=true</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TerminalFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when tmux is missing.</summary>
    public TerminalFactAttribute()
    {
        Skip = TmuxTerminal.SkipReason();
    }
}
