namespace SecureChat.Cli.Interactive;

/// <summary>How long the interactive client waits before each attempt to reconnect: 1 s, 2 s, 4 s, … doubling up to
/// 30 s, each moved by up to ±20 % at random (so that clients cut off by the same restart do not all come back at the
/// same instant) and never above 30 s.</summary>
/// <param name="random">A source of numbers in [0, 1): the jitter. Tests pass a fixed one; the default is
/// <see cref="Random.Shared"/> (the jitter protects nothing, it only spreads the load).</param>
internal sealed class ReconnectBackoff(Func<double>? random = null)
{
    /// <summary>The wait before the first attempt, before jitter.</summary>
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait, jitter included.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <summary>How far the jitter moves a wait, as a fraction of it either way.</summary>
    public const double Jitter = 0.2;

#pragma warning disable CA5394 // The jitter only spreads reconnects over time; nothing depends on it being unpredictable.
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
#pragma warning restore CA5394

    /// <summary>The wait before attempt <paramref name="attempt"/> (1, 2, …) without jitter: 1 s doubled each time, at most 30 s.</summary>
    public static TimeSpan Nominal(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        // 2^5 s already exceeds the cap; stopping the doubling there keeps large attempt numbers from overflowing.
        var seconds = First.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 5));
        return TimeSpan.FromSeconds(Math.Min(seconds, Cap.TotalSeconds));
    }

    /// <summary>The wait before attempt <paramref name="attempt"/>: <see cref="Nominal"/> times a random factor in
    /// [0.8, 1.2), then at most <see cref="Cap"/>.</summary>
    public TimeSpan Delay(int attempt)
    {
        var factor = 1 + (Jitter * ((2 * Math.Clamp(_random(), 0, 1)) - 1));
        return TimeSpan.FromSeconds(Math.Min(Nominal(attempt).TotalSeconds * factor, Cap.TotalSeconds));
    }
}
