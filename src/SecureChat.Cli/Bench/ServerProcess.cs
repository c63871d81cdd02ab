using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureChat.Cli.Bench;

/// <summary>A <c>securechat server</c> child process, so that its memory can be read apart from the load generator's.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts this same executable as a server on a free port and waits until it listens: on SQLite in
    /// <paramref name="directory"/>, or on <paramref name="db"/> when given, with <paramref name="extraArgs"/> added.</summary>
    public static async Task<ServerProcess> StartAsync(string directory, string pki, bool cheapArgon2, CancellationToken cancellationToken,
        string? db = null, IEnumerable<string>? extraArgs = null)
    {
        var (fileName, prefix) = Self();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in prefix.Concat(["server", "--listen", "127.0.0.1:0", "--pki", pki, "--db", db ?? "sqlite:" + Path.Combine(directory, "users.db"),
                     "--transcripts", Path.Combine(directory, "transcripts"), "--log-level", "Warning", .. extraArgs ?? []]))
        {
            info.ArgumentList.Add(arg);
        }

        // Presence notices cost one signature per member per join; they would be measured as setup cost.
        info.Environment["SECURECHAT_PRESENCENOTICELIMIT"] = "0";
        if (cheapArgon2)
        {
            info.Environment["SECURECHAT_ARGON2MEMORYKIB"] = "64";
            info.Environment["SECURECHAT_ARGON2ITERATIONS"] = "1";
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server process");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new ServerProcess(process, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("the server process exited before listening: " + await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Resident set size of the server process in bytes (Linux /proc).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>CPU time the server process has used so far, all threads, user and kernel.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the server ends open sessions with receipts, then exits.
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    /// <summary>How to run this executable again: the apphost directly, or <c>dotnet securechat.dll</c>.</summary>
    /// <remarks>Under an apphost the first command-line argument is still the .dll, so the process path decides.</remarks>
    private static (string FileName, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var viaHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaHost ? (process, [Environment.GetCommandLineArgs()[0]]) : (process, []);
    }

    [GeneratedRegex(@"listening on [^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
