namespace SecureChat.Cli.Tests.Support;

/// <summary>A temporary directory to run <c>securechat</c> in, one per test. Disposing kills every process started
/// through it that is still running, then deletes the directory.</summary>
public sealed class CliSandbox : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly List<RunningProcess> _started = [];

    /// <summary>The full path of the directory; every run's working directory unless the options say otherwise.</summary>
    public string Path => _directory.Path;

    /// <summary>The full path of a file or directory relative to <see cref="Path"/>.</summary>
    public string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    /// <summary>Runs <c>securechat ARGS</c> in the sandbox to completion.</summary>
    public Task<ChildProcessResult> RunAsync(params string[] arguments) =>
        CliProcess.RunAsync(arguments, new ChildProcessOptions { WorkingDirectory = Path });

    /// <summary>Runs <c>securechat ARGS</c> to completion; a working directory left unset is the sandbox.</summary>
    public Task<ChildProcessResult> RunAsync(IEnumerable<string> arguments, ChildProcessOptions options) =>
        CliProcess.RunAsync(arguments, InSandbox(options));

    /// <summary>Starts a long-running <c>securechat ARGS</c> in the sandbox.</summary>
    public RunningProcess Start(params string[] arguments) => Start(arguments, new ChildProcessOptions());

    /// <summary>Starts a long-running <c>securechat ARGS</c>; a working directory left unset is the sandbox.</summary>
    public RunningProcess Start(IEnumerable<string> arguments, ChildProcessOptions options)
    {
        var process = CliProcess.Start(arguments, InSandbox(options));
        lock (_started)
        {
            _started.Add(process);
        }

        return process;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_started)
        {
            foreach (var process in _started)
            {
                process.Dispose();
            }

            _started.Clear();
        }

        _directory.Dispose();
    }

    private ChildProcessOptions InSandbox(ChildProcessOptions options) =>
        options.WorkingDirectory is null ? options with { WorkingDirectory = Path } : options;
}
