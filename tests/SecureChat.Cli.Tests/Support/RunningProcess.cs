using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SecureChat.Cli.Tests.Support;

/// <summary>A child process that is still running: watch its output, talk to its standard input, stop it politely
/// (SIGTERM) or not (SIGKILL). Disposing kills whatever is left of it.</summary>
/// <remarks>Both output streams are read continuously from the start, so the child never blocks on a full pipe and
/// output without a trailing newline (a prompt) is seen as soon as it is written.</remarks>
public sealed class RunningProcess : IAsyncDisposable, IDisposable
{
    // After the process is gone its pipes normally close at once; a grandchild that inherited them could keep them
    // open for ever, so draining stops after this long.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly OutputBuffer _standardOutput = new();
    private readonly OutputBuffer _standardError = new();
    private readonly Task _readers;
    private volatile bool _disposed;

    internal RunningProcess(Process process, string commandLine)
    {
        _process = process;
        Id = process.Id;
        CommandLine = commandLine;
        _process.StandardInput.AutoFlush = true;
        _readers = Task.WhenAll(
            PumpAsync(_process.StandardOutput, _standardOutput),
            PumpAsync(_process.StandardError, _standardError));
    }

    /// <summary>The process id.</summary>
    public int Id { get; }

    /// <summary>The program and its arguments, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>Whether the process has ended; after disposal always true, since disposing kills it.</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>Everything written to standard output so far.</summary>
    public string StandardOutput => _standardOutput.Text;

    /// <summary>Everything written to standard error so far.</summary>
    public string StandardError => _standardError.Text;

    /// <summary>Writes text to standard input as it is.</summary>
    public Task WriteAsync(string text) => _process.StandardInput.WriteAsync(text);

    /// <summary>Writes a line to standard input.</summary>
    public Task WriteLineAsync(string line) => _process.StandardInput.WriteAsync(line + "\n");

    /// <summary>Closes standard input, so the process reads end of file.</summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Waits until the output contains <paramref name="text"/> (ordinal, not a pattern).</summary>
    /// <inheritdoc cref="WaitForOutputAsync(Regex, TimeSpan?, OutputStream, CancellationToken)"/>
    public Task<Match> WaitForOutputAsync(
        string text, TimeSpan? timeout = null, OutputStream stream = OutputStream.Any, CancellationToken cancellationToken = default) =>
        WaitForOutputAsync(new Regex(Regex.Escape(text), RegexOptions.CultureInvariant), timeout, stream, cancellationToken);

    /// <summary>Waits until the output matches <paramref name="pattern"/>, expect-style: the search starts after the
    /// end of the previous successful wait on the same stream, and output written before this call counts.</summary>
    /// <returns>The match; its index is a position in the whole stream.</returns>
    /// <exception cref="TimeoutException">No match within the timeout (default one minute); the output is in the message.</exception>
    /// <exception cref="InvalidOperationException">The stream ended (the process exited) without a match.</exception>
    public async Task<Match> WaitForOutputAsync(
        Regex pattern, TimeSpan? timeout = null, OutputStream stream = OutputStream.Any, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var limit = timeout ?? ChildProcessOptions.DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        OutputBuffer[] buffers = stream switch
        {
            OutputStream.StandardOutput => [_standardOutput],
            OutputStream.StandardError => [_standardError],
            _ => [_standardOutput, _standardError],
        };

        while (true)
        {
            var changes = new List<Task>(buffers.Length);
            var allCompleted = true;
            foreach (var buffer in buffers)
            {
                if (buffer.TryConsume(pattern, out var completed, out var changed) is { } match)
                {
                    return match;
                }

                allCompleted &= completed;
                changes.Add(changed);
            }

            if (allCompleted)
            {
                throw new InvalidOperationException(
                    $"'{CommandLine}' closed its output without writing /{pattern}/.\n{Describe()}");
            }

            try
            {
                await Task.WhenAny(changes).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"'{CommandLine}' did not write /{pattern}/ within {limit.TotalSeconds:0.#} s.\n{Describe()}");
            }
        }
    }

    /// <summary>Waits for the process to exit and for all its output.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (default one minute); it has been killed.</exception>
    public async Task<ChildProcessResult> WaitForExitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? ChildProcessOptions.DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await DrainAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{CommandLine}' did not exit within {limit.TotalSeconds:0.#} s and was killed.\n{Describe()}");
        }

        await DrainAsync().ConfigureAwait(false);
        return new ChildProcessResult(_process.ExitCode, StandardOutput, StandardError);
    }

    /// <summary>Asks the process to stop with SIGTERM (a graceful shutdown) and waits for it to exit.</summary>
    /// <exception cref="TimeoutException">It did not stop within the grace period (default 15 s); it has been killed.</exception>
    public async Task<ChildProcessResult> StopAsync(TimeSpan? grace = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_process.HasExited)
        {
            Posix.Signal(Id, Posix.SigTerm);
        }

        return await WaitForExitAsync(grace ?? TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    /// <summary>Sends a POSIX signal (for example <c>2</c>, SIGINT, as Ctrl+C would) to the process alone.</summary>
    public void Signal(int signal)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Posix.Signal(Id, signal);
    }

    /// <summary>Kills the process and everything it started with SIGKILL, at once; nothing happens if it already exited.</summary>
    public void Kill()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the check and the kill: that is what was wanted.
        }
    }

    /// <summary>Kills the process if it is still running and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // SIGKILL cannot be refused; if the exit is not reported in time there is nothing more to do about it.
        }

        await DrainAsync().ConfigureAwait(false);
        _disposed = true;
        _process.Dispose();
    }

    /// <summary>Kills the process if it is still running and releases it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Kill();
        _process.WaitForExit(DrainTimeout);
        _readers.Wait(DrainTimeout);
        _disposed = true;
        _process.Dispose();
    }

    /// <summary>The command line and the output so far, for failure messages.</summary>
    public string Describe() =>
        $"--- command ---\n{CommandLine}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    private async Task DrainAsync()
    {
        try
        {
            await _readers.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Keep what was read; the test fails or passes on that, not on a grandchild holding a pipe open.
        }
    }

    private static async Task PumpAsync(StreamReader reader, OutputBuffer buffer)
    {
        var chunk = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(chunk).ConfigureAwait(false)) > 0)
            {
                buffer.Append(chunk.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke because the process was killed; what was read before stays in the buffer.
        }
        finally
        {
            buffer.Complete();
        }
    }
}
