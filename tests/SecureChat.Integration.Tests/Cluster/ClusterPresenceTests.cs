using System.Diagnostics;
using SecureChat.Client;
using SecureChat.Integration.Tests.Conversations;
using SecureChat.Server.Cluster;
using StackExchange.Redis;

namespace SecureChat.Integration.Tests.Cluster;

/// <summary>The presence of a node that stops heartbeating without removing its own entry expires after
/// <c>PresenceTtlSeconds</c> (docs/SCALING.md).</summary>
[Collection(nameof(People))]
public sealed class ClusterPresenceTests : IAsyncLifetime
{
    private const double TtlSeconds = 2;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => People.ForgetRunAsync();

    [ClusterFact]
    public async Task A_node_cut_off_from_redis_drops_out_of_who_on_the_others_within_the_presence_ttl()
    {
        await using var cluster = await Cluster.StartAsync(TtlSeconds);
        var people = cluster.People;
        var alice = await cluster.ConnectAsync(0, 0);
        var bob = await cluster.ConnectAsync(1, 1);
        await WhoUntilAsync(alice, online => online.Contains(people.Bob), "alice sees bob on node b", TimeSpan.FromSeconds(10));

        // Node b's entry carries the configured time to live.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.EndPoint))
        {
            var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(RedisBus.PresenceKey(cluster[1].Options.Node));
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromSeconds(TtlSeconds), $"node b's presence TTL is {ttl}");
        }

        // Node b can neither heartbeat nor delete its entry any more; bob's session there stays open.
        cluster.CutOffFromRedis(1);
        var cut = Stopwatch.GetTimestamp();
        await WhoUntilAsync(alice, online => !online.Contains(people.Bob), "bob drops out of alice's /who", TimeSpan.FromSeconds(TtlSeconds + 8));
        var elapsed = Stopwatch.GetElapsedTime(cut);

        // The last heartbeat came before the cut, so the entry is gone at most the TTL after it; the rest is the
        // polling's round trips on a loaded machine.
        Assert.True(elapsed <= TimeSpan.FromSeconds(TtlSeconds + 2), $"bob was listed {elapsed.TotalSeconds:0.0} s after the cut (TTL {TtlSeconds} s)");
        Assert.Equal(1, cluster[1].Server.Runtime.Room.Count);
        foreach (var client in new[] { alice, bob })
        {
            await client.EndAsync();
            await client.DisposeAsync();
        }
    }

    /// <summary>Asks <c>/who #lobby</c> until <paramref name="condition"/> holds for the users listed.</summary>
    private static async Task WhoUntilAsync(ChatClient client, Func<IReadOnlyCollection<string>, bool> condition, string what, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            await client.RequestWhoAsync("#lobby");
            var online = (await client.NoticeAsync("who", "#lobby")).Online ?? [];
            if (condition(online))
            {
                return;
            }

            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"timed out after {timeout.TotalSeconds:0} s waiting until {what}; online: {string.Join(", ", online)}");
            await Task.Delay(100);
        }
    }
}
