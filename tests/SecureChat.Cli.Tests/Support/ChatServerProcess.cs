using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SecureChat.Cli.Tests.Support;

/// <summary>A <c>securechat server</c> child process on a free loopback port, run in a working directory of its own so
/// that its <c>./data</c> (SQLite users, transcripts) lands there.</summary>
public sealed partial class ChatServerProcess
{
    /// <summary>The server's grace period for SIGTERM: it waits for every client's receipt before it exits.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);

    private ChatServerProcess(RunningProcess process, int port, string workingDirectory)
    {
        Process = process;
        Port = port;
        WorkingDirectory = workingDirectory;
    }

    /// <summary>The running server.</summary>
    public RunningProcess Process { get; }

    /// <summary>The port it listens on, read from its start-up line.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, for <c>client --connect</c>.</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The server's working directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Where the server writes one transcript per session (its default <c>./data/transcripts</c>).</summary>
    public string TranscriptDirectory => Path.Combine(WorkingDirectory, "data", "transcripts");

    /// <summary>Starts <c>securechat server --listen 127.0.0.1:0 --pki PKI [ARGS]</c> in <paramref name="workingDirectory"/>
    /// (created if needed) and waits until it says where it listens.</summary>
    /// <param name="sandbox">Owns the process: disposing the sandbox kills the server if a test did not stop it.</param>
    /// <param name="pkiDirectory">Folder with ca.crt, server.crt and server.key.</param>
    /// <param name="workingDirectory">Where <c>./data</c> goes.</param>
    /// <param name="environment">Extra variables on top of <see cref="ChatEnvironment.Fast"/>.</param>
    /// <param name="arguments">Further flags.</param>
    public static Task<ChatServerProcess> StartAsync(CliSandbox sandbox, string pkiDirectory, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments) =>
        StartOnPortAsync(sandbox, pkiDirectory, workingDirectory, 0, environment, arguments);

    /// <summary>As <see cref="StartAsync"/> on a given port (0: any free one), so that a server can be stopped and
    /// another started where clients expect it (see <see cref="FreePort"/>).</summary>
    public static async Task<ChatServerProcess> StartOnPortAsync(CliSandbox sandbox, string pkiDirectory, string workingDirectory, int port,
        IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        Directory.CreateDirectory(workingDirectory);
        var listen = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        var process = sandbox.Start(["server", "--listen", listen, "--pki", pkiDirectory, .. arguments], new ChildProcessOptions
        {
            WorkingDirectory = workingDirectory,
            Environment = ChatEnvironment.Fast.With(environment),
        });
        var listening = await process.WaitForOutputAsync(ListeningLine(), stream: OutputStream.StandardOutput);
        return new ChatServerProcess(process, int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture), workingDirectory);
    }

    /// <summary>A loopback port that was free a moment ago: the system picks it, and it is released at once.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The transcript files written so far (in the day and bucket folders under the transcript folder), sorted
    /// by file name, which starts with the session's start time.</summary>
    public IReadOnlyList<string> TranscriptFiles() => TranscriptFilesIn(TranscriptDirectory);

    /// <summary>The transcript files anywhere under <paramref name="directory"/>, sorted by file name (start time first).</summary>
    public static IReadOnlyList<string> TranscriptFilesIn(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*.jsonl", SearchOption.AllDirectories).OrderBy(Path.GetFileName, StringComparer.Ordinal)]
            : [];

    /// <summary>SIGTERM, then waits for the graceful exit (every open session ended with receipts).</summary>
    public Task<ChildProcessResult> StopAsync() => Process.StopAsync(StopTimeout);

    [GeneratedRegex(@"SecureChat server listening on 127\.0\.0\.1:(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
