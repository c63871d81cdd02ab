using System.Net;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

public sealed class LoginThrottleTests
{
    [Fact]
    public void Default_lockout_is_30_seconds_doubling_to_a_15_minute_cap()
    {
        var policy = CredentialPolicy.Default;

        Assert.Equal(TimeSpan.Zero, policy.LockoutAfter(4));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.LockoutAfter(5));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.LockoutAfter(6));
        Assert.Equal(TimeSpan.FromSeconds(480), policy.LockoutAfter(9));
        Assert.Equal(TimeSpan.FromMinutes(15), policy.LockoutAfter(10));
        Assert.Equal(TimeSpan.FromMinutes(15), policy.LockoutAfter(int.MaxValue));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Addresses_are_keyed_by_host_or_ipv6_slash_64(string address, string key) =>
        Assert.Equal(key, AddressThrottle.KeyFor(IPAddress.Parse(address)));

    [Fact]
    public void Address_limit_counts_failures_in_a_sliding_window()
    {
        var throttle = new AddressThrottle(limit: 3, window: TimeSpan.FromSeconds(10), capacity: 100);

        throttle.RecordFailure("a", 0);
        throttle.RecordFailure("a", 4_000);
        throttle.RecordFailure("a", 8_000);

        Assert.True(throttle.IsLimited("a", 8_000));
        Assert.False(throttle.IsLimited("b", 8_000));
        Assert.False(throttle.IsLimited("a", 10_000)); // the failure at 0 has left the window
        throttle.RecordFailure("a", 10_000);
        Assert.True(throttle.IsLimited("a", 10_000));
        Assert.False(throttle.IsLimited("a", 20_000));
    }

    [Fact]
    public void Address_table_stays_within_its_capacity_forgetting_the_stalest_first()
    {
        var throttle = new AddressThrottle(limit: 1, window: TimeSpan.FromHours(1), capacity: 3);

        for (var i = 0; i < 50; i++)
        {
            throttle.RecordFailure($"10.0.0.{i}", i);
        }

        Assert.Equal(3, throttle.Count);
        Assert.True(throttle.IsLimited("10.0.0.49", 100));
        Assert.False(throttle.IsLimited("10.0.0.0", 100));
    }

    [Fact]
    public void Unknown_email_table_locks_like_an_account_and_stays_bounded()
    {
        var policy = new CredentialPolicy { AccountFailureLimit = 2, MaxTrackedUnknownEmails = 2 };
        var throttle = new UnknownEmailThrottle(policy);

        throttle.RecordFailure("x@example.com", 0);
        Assert.False(throttle.IsLocked("x@example.com", 0));
        throttle.RecordFailure("x@example.com", 0);
        Assert.True(throttle.IsLocked("x@example.com", 29_999));
        Assert.False(throttle.IsLocked("x@example.com", 30_000));

        throttle.RecordFailure("y@example.com", 1);
        throttle.RecordFailure("z@example.com", 2);
        Assert.Equal(2, throttle.Count);
    }

    [Fact]
    public void Fake_clock_moves_only_when_advanced()
    {
        var clock = new FakeTimeProvider();
        var start = clock.NowMs;

        clock.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(start + 1_500, clock.NowMs);
    }
}
