using SecureChat.Cli.Interactive;

namespace SecureChat.Cli.Tests;

/// <summary>The interactive client's waits between reconnect attempts: 1 s doubling to 30 s, ±20 % jitter, never
/// above 30 s; the random source is injected.</summary>
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Without_jitter_the_waits_double_from_one_second_and_stop_at_thirty()
    {
        var waits = Enumerable.Range(1, 8).Select(n => ReconnectBackoff.Nominal(n).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], waits);
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectBackoff.Nominal(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconnectBackoff.Nominal(0));
    }

    [Fact]
    public void The_middle_of_the_random_range_gives_the_nominal_wait()
    {
        var backoff = new ReconnectBackoff(() => 0.5);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(n => backoff.Delay(n).TotalSeconds));
    }

    [Fact]
    public void The_ends_of_the_random_range_move_a_wait_by_twenty_percent_and_the_cap_holds()
    {
        var low = new ReconnectBackoff(() => 0);
        var high = new ReconnectBackoff(() => 1);

        Assert.Equal(0.8, low.Delay(1).TotalSeconds, 9);
        Assert.Equal(1.2, high.Delay(1).TotalSeconds, 9);
        Assert.Equal(12.8, low.Delay(5).TotalSeconds, 9);
        Assert.Equal(19.2, high.Delay(5).TotalSeconds, 9);
        Assert.Equal(24, low.Delay(6).TotalSeconds, 9);
        Assert.Equal(30, high.Delay(6).TotalSeconds, 9);
        Assert.Equal(30, high.Delay(100).TotalSeconds, 9);
    }

    [Fact]
    public void Every_wait_lies_within_twenty_percent_of_the_nominal_one_and_never_above_the_cap()
    {
        var random = new Random(7);
        var drawn = new List<double>();
        var backoff = new ReconnectBackoff(() =>
        {
            var value = random.NextDouble();
            drawn.Add(value);
            return value;
        });

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var nominal = ReconnectBackoff.Nominal(attempt).TotalSeconds;
            var spread = new HashSet<double>();
            for (var i = 0; i < 200; i++)
            {
                var wait = backoff.Delay(attempt).TotalSeconds;
                Assert.InRange(wait, nominal * 0.8, Math.Min(nominal * 1.2, 30));
                spread.Add(Math.Round(wait, 3));
            }

            // The jitter really spreads the waits: many different values, both below and above the nominal one.
            Assert.True(spread.Count > 50, $"attempt {attempt}: only {spread.Count} different waits");
            Assert.Contains(spread, w => w < nominal * 0.9);
            Assert.Contains(spread, w => w > nominal * 0.95 && w <= 30);
        }

        Assert.Equal(12 * 200, drawn.Count);
    }

    [Theory]
    [InlineData(0.4, 1)]
    [InlineData(0.8, 1)]
    [InlineData(1.49, 1)]
    [InlineData(1.5, 2)]
    [InlineData(24.2, 24)]
    public void A_wait_is_shown_in_whole_seconds_and_at_least_one(double seconds, int shown) =>
        Assert.Equal(shown, Reconnector.Seconds(TimeSpan.FromSeconds(seconds)));
}
