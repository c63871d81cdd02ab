namespace SecureChat.Cli.Tests.Support;

/// <summary>Runs the built <c>securechat</c> command as a real child process: <c>dotnet securechat.dll ARGS</c>.</summary>
/// <remarks>The test project references the CLI project, so <c>securechat.dll</c> (with its runtimeconfig and deps
/// files) is copied next to the test assembly. The muxer runs the app in its own process, so the id of the
/// started process is the app itself and a signal sent to it reaches the app.</remarks>
public static class CliProcess
{
    private static readonly Lazy<string> LazyHost = new(FindDotnetHost);

    /// <summary>The full path of <c>securechat.dll</c> next to the test assembly.</summary>
    public static string AssemblyPath { get; } = Path.Combine(AppContext.BaseDirectory, "securechat.dll");

    /// <summary>The <c>dotnet</c> host that runs it.</summary>
    public static string HostPath => LazyHost.Value;

    /// <summary>Runs <c>securechat</c> to completion with optional standard input and timeout.</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="timeout"/> (default one minute); it has been killed.</exception>
    public static Task<ChildProcessResult> RunAsync(IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null) =>
        RunAsync(arguments, new ChildProcessOptions
        {
            StandardInput = standardInput,
            Timeout = timeout ?? ChildProcessOptions.DefaultTimeout,
        });

    /// <summary>Runs <c>securechat</c> to completion with the given working directory, environment, input and timeout.</summary>
    /// <exception cref="TimeoutException">It ran longer than the options allow; it has been killed.</exception>
    public static Task<ChildProcessResult> RunAsync(
        IEnumerable<string> arguments, ChildProcessOptions options, CancellationToken cancellationToken = default) =>
        ChildProcess.RunAsync(HostPath, WithAssembly(arguments), options, cancellationToken);

    /// <summary>Starts a long-running <c>securechat</c> (a server, a client) and returns at once.</summary>
    public static RunningProcess Start(IEnumerable<string> arguments, ChildProcessOptions? options = null) =>
        ChildProcess.Start(HostPath, WithAssembly(arguments), options);

    private static IEnumerable<string> WithAssembly(IEnumerable<string> arguments)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException(
                "securechat.dll is not next to the test assembly; does the test project still reference SecureChat.Cli?", AssemblyPath);
        }

        return arguments.Prepend(AssemblyPath);
    }

    // The SDK sets DOTNET_HOST_PATH for the processes it starts; a test host started some other way is usually
    // itself run by the muxer, which makes its own path the answer.
    private static string FindDotnetHost()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(executable, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Prepend(Environment.GetEnvironmentVariable("DOTNET_ROOT") ?? string.Empty)
            .Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, executable));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("No dotnet host found: set DOTNET_HOST_PATH or put dotnet on PATH.", executable);
    }
}
