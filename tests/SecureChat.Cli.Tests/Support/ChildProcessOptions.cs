namespace SecureChat.Cli.Tests.Support;

/// <summary>How to start a child process: where, with which environment and what on its standard input.</summary>
public sealed record ChildProcessOptions
{
    /// <summary>The bound used when a run or a wait is given no timeout of its own.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The working directory; <see langword="null"/> keeps the test's own.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set in the inherited environment; a <see langword="null"/> value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input right after the start. A run closes standard input after it (so a
    /// reader sees end of file instead of hanging); a started process keeps it open for more.</summary>
    public string? StandardInput { get; init; }

    /// <summary>For a run, how long the whole process may take before its process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}

/// <summary>How a child process ended and everything it wrote.</summary>
/// <param name="ExitCode">The exit code; 128 + N when signal N ended it (137 for SIGKILL, 143 for SIGTERM).</param>
/// <param name="StandardOutput">Everything written to standard output.</param>
/// <param name="StandardError">Everything written to standard error.</param>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The non-empty lines of standard error.</summary>
    public IReadOnlyList<string> StandardErrorLines =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The non-empty lines of standard output.</summary>
    public IReadOnlyList<string> StandardOutputLines =>
        StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The exit code and both streams, for assertion messages.</summary>
    public override string ToString() =>
        $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}

/// <summary>Which output stream to watch.</summary>
public enum OutputStream
{
    /// <summary>Either standard output or standard error.</summary>
    Any,

    /// <summary>Standard output only.</summary>
    StandardOutput,

    /// <summary>Standard error only.</summary>
    StandardError,
}
