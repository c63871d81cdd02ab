using System.Diagnostics;

namespace SecureChat.Pki.Tests;

/// <summary>Runs the openssl command-line tool, which every CI machine of this project has.</summary>
internal static class OpenSsl
{
    private static readonly Lazy<string?> Executable = new(FindOnPath);

    /// <summary>Runs openssl in <paramref name="workingDirectory"/> and returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] arguments)
    {
        var executable = Executable.Value;
        if (executable is null)
        {
            Assert.Fail("The openssl command was not found on PATH; install openssl (e.g. apt-get install openssl) to run the interop tests.");
        }

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            Assert.Fail($"openssl {string.Join(' ', arguments)} did not finish within 60 s.");
        }

        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs openssl and fails the test, showing its output, unless it exits with 0.</summary>
    public static string Succeed(string workingDirectory, params string[] arguments)
    {
        var (exitCode, output) = Run(workingDirectory, arguments);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', arguments)} failed with {exitCode}:\n{output}");
        return output;
    }

    private static string? FindOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? "openssl.exe" : "openssl"))
            .FirstOrDefault(File.Exists);
    }
}
