namespace SecureChat.Cli.Interactive;

/// <summary>Reconnecting stopped for good: the server refused the login, or its certificate or handshake failed the
/// checks. Trying again would fail the same way, so the client says why and exits 1.</summary>
internal sealed class ReconnectStoppedException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>Tries again and again, with <see cref="ReconnectBackoff"/> waits, until an attempt succeeds, the person
/// leaves (cancellation, at once even during a wait) or an attempt fails for good
/// (<see cref="ReconnectStoppedException"/>). It says what it does through a callback, one line per step.</summary>
/// <param name="backoff">The waits.</param>
/// <param name="wait">Waits for a time; <see cref="Task.Delay(TimeSpan, CancellationToken)"/> unless a test passes a clock of its own.</param>
internal sealed class Reconnector(ReconnectBackoff backoff, Func<TimeSpan, CancellationToken, Task>? wait = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _wait = wait ?? Task.Delay;

    /// <summary>Waits, tries <paramref name="attempt"/>, and repeats with a longer wait after every failure that
    /// <see cref="CliRunner.Describe"/> can put in a sentence (unreachable, refused connection, lost connection,
    /// timeout, server busy).</summary>
    /// <param name="why">What happened, the start of the first line shown (for example "session ended by the server").</param>
    /// <param name="attempt">One attempt; throws <see cref="ReconnectStoppedException"/> to stop for good.</param>
    /// <param name="notify">Shows a line to the person.</param>
    /// <param name="cancellationToken">The person left.</param>
    /// <returns>What the successful attempt returned, or null when <paramref name="cancellationToken"/> was cancelled.</returns>
    public async Task<T?> RunAsync<T>(string why, Func<CancellationToken, Task<T>> attempt, Action<string> notify, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(notify);
        var reason = why;
        for (var number = 1; ; number++)
        {
            var delay = backoff.Delay(number);
            notify($"{reason}; reconnecting in {Seconds(delay)} s (attempt {number})...");
            try
            {
                await _wait(delay, cancellationToken).ConfigureAwait(false);
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is not ReconnectStoppedException && CliRunner.Describe(e) is { } sentence)
            {
                reason = $"attempt {number} failed: {Display.Safe(sentence)}";
            }
        }
    }

    /// <summary>A wait as shown: whole seconds, at least 1.</summary>
    public static int Seconds(TimeSpan delay) => Math.Max(1, (int)Math.Round(delay.TotalSeconds, MidpointRounding.AwayFromZero));
}
