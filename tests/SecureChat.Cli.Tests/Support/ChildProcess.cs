using System.Diagnostics;
using System.Text;

namespace SecureChat.Cli.Tests.Support;

/// <summary>Runs any program as a child process with its output captured, a bounded run time and, on timeout, the
/// whole process tree killed. <see cref="CliProcess"/> uses it for <c>securechat</c>; tests use it for openssl.</summary>
public static class ChildProcess
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs <paramref name="fileName"/> to completion.</summary>
    /// <exception cref="TimeoutException">It ran longer than <see cref="ChildProcessOptions.Timeout"/>; it has been killed.</exception>
    public static async Task<ChildProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, ChildProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ChildProcessOptions();
        using var process = Start(fileName, arguments, options with { StandardInput = null });
        try
        {
            if (options.StandardInput is { } input)
            {
                await process.WriteAsync(input).ConfigureAwait(false);
            }

            process.CloseStandardInput();
        }
        catch (IOException)
        {
            // The program exited without reading its input; its exit code and output tell the story.
        }

        return await process.WaitForExitAsync(options.Timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts <paramref name="fileName"/> and returns at once; dispose the handle to kill what is left of it.</summary>
    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, ChildProcessOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new ChildProcessOptions();
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            WorkingDirectory = options.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var commandLine = string.Join(' ', info.ArgumentList.Prepend(fileName).Select(Quote));
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        var running = new RunningProcess(process, commandLine);
        if (options.StandardInput is { } input)
        {
            // Synchronous on purpose: the text is small and must be in the pipe before the caller looks for a reaction.
            running.WriteAsync(input).GetAwaiter().GetResult();
        }

        return running;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@+,".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
