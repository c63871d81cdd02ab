using SecureChat.Accounts.Conversations;
using SecureChat.Client;
using SecureChat.Integration.Tests.Conversations;
using SecureChat.Protocol.Session;
using SecureChat.Server.Cluster;
using StackExchange.Redis;

namespace SecureChat.Integration.Tests.Cluster;

/// <summary>Three nodes on one MariaDB and one Redis (docs/SCALING.md): people on different nodes chat, see each other,
/// survive a node's death and a Redis outage, and a message forged into Redis reaches nobody.</summary>
/// <remarks>Not in parallel with the other tests of <see cref="People"/>: they share its usernames on MariaDB.</remarks>
[Collection(nameof(People))]
public sealed class ClusterTests : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => People.ForgetRunAsync();

    [ClusterFact]
    public async Task People_on_different_nodes_chat_in_a_room_by_direct_message_and_in_the_lobby()
    {
        await using var cluster = await Cluster.StartAsync();
        var people = cluster.People;
        var (alice, bob, carol) = (await cluster.ConnectAsync(0, 0), await cluster.ConnectAsync(1, 1), await cluster.ConnectAsync(2, 2));
        foreach (var client in new[] { alice, bob })
        {
            await client.JoinAsync(people.Ops);
            await client.NoticeAsync("joined", people.Ops);
        }

        await alice.SendAsync("deploy at 10", people.Ops);
        var atBob = await bob.NextChatAsync("alice's room message from another node");
        Assert.Equal(("deploy at 10", people.Alice, people.Ops, (string?)null), (atBob.Text, atBob.From, atBob.To, atBob.Mark));
        Assert.Equal(ProofLevel.Author, atBob.Proof);

        await bob.SendAsync("carol, a word", "@" + people.Carol);
        var atCarol = await carol.NextChatAsync("bob's direct message from another node");
        Assert.Equal(("carol, a word", people.Bob, "@" + people.Carol), (atCarol.Text, atCarol.From, atCarol.To));

        // A lobby message reaches both other nodes next: nothing else (the room message, the direct one) leaked there.
        await carol.SendAsync("lobby marker");
        Assert.Equal("lobby marker", (await alice.NextChatAsync("carol's lobby message")).Text);
        Assert.Equal("lobby marker", (await bob.NextChatAsync("carol's lobby message")).Text);
        await EndAllAsync(alice, bob, carol);
    }

    [ClusterFact]
    public async Task Who_and_the_lobby_list_users_of_every_node()
    {
        await using var cluster = await Cluster.StartAsync();
        var people = cluster.People;
        var (alice, bob, carol) = (await cluster.ConnectAsync(0, 0), await cluster.ConnectAsync(1, 1), await cluster.ConnectAsync(2, 2));
        await bob.JoinAsync(people.Ops);
        await bob.NoticeAsync("joined", people.Ops);
        await alice.JoinAsync(people.Ops);
        await alice.NoticeAsync("joined", people.Ops);

        await alice.RequestWhoAsync(people.Ops);
        var who = await alice.NoticeAsync("who", people.Ops);
        Assert.Equal([people.Alice, people.Bob], who.Online!.Order(StringComparer.Ordinal));

        await carol.RequestWhoAsync("#lobby");
        var lobby = await carol.NoticeAsync("who", "#lobby");
        Assert.Equal([people.Alice, people.Bob, people.Carol], lobby.Online!.Order(StringComparer.Ordinal));

        // bob leaves: his node takes him out of presence at once.
        await bob.EndAsync();
        await bob.DisposeAsync();
        await Infrastructure.Eventually.TrueAsync(() => cluster[1].Server.Runtime.Room.Count == 0, "bob has left node b");
        await Task.Delay(300);
        await alice.RequestWhoAsync(people.Ops);
        Assert.Equal([people.Alice], (await alice.NoticeAsync("who", people.Ops)).Online);
        await EndAllAsync(alice, carol);
    }

    [ClusterFact]
    public async Task A_killed_nodes_user_reconnects_to_another_and_receives_everything_stored_for_him()
    {
        await using var cluster = await Cluster.StartAsync();
        var people = cluster.People;
        var alice = await cluster.ConnectAsync(0, 0);
        var bob = await cluster.ConnectAsync(1, 1);
        await alice.SendAsync("before the crash", "@" + people.Bob);
        Assert.Equal("before the crash", (await bob.NextChatAsync("the first direct message")).Text);

        await cluster.KillAsync(1);
        await bob.NextAsync(_ => false, "nothing", 1).ContinueWith(_ => { }, TaskScheduler.Default);
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync($"while away {i}", "@" + people.Bob);
        }

        await bob.DisposeAsync();
        var again = await cluster.ConnectAsync(1, 2);
        var received = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            // "before the crash" may come again (delayed) if the killed node had not yet recorded its delivery.
            var m = await again.NextAsync(m => m.Kind == "chat" && m.Text.StartsWith("while away", StringComparison.Ordinal), $"stored message {i}");
            // Stored while he was away (delayed), or announced by the bus once he was back on node c (live): once each.
            Assert.Equal(people.Alice, m.From);
            Assert.Contains(m.Mark, new[] { null, "delayed" });
            received.Add(m.Text);
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"while away {i}"), received.Order(StringComparer.Ordinal));
        await EndAllAsync(alice, again);
    }

    [ClusterFact]
    public async Task A_redis_outage_loses_nothing_and_shows_nothing_twice()
    {
        await using var cluster = await Cluster.StartAsync();
        var people = cluster.People;
        var alice = await cluster.ConnectAsync(0, 0);
        var bob = await cluster.ConnectAsync(1, 1);
        await alice.SendAsync("m1", "@" + people.Bob);
        Assert.Equal("m1", (await bob.NextChatAsync("m1, live")).Text);

        await cluster.Redis.StopAsync();
        await alice.SendAsync("m2", "@" + people.Bob);
        await alice.SendAsync("m3", "@" + people.Bob);
        await Task.Delay(500);
        await cluster.Redis.StartAgainAsync();

        // Caught up from the record once the nodes are back on Redis; then live again.
        var m2 = await bob.NextChatAsync("m2 after the outage");
        var m3 = await bob.NextChatAsync("m3 after the outage");
        Assert.Equal(("m2", "m3"), (m2.Text, m3.Text));
        await alice.SendAsync("m4", "@" + people.Bob);
        await alice.SendAsync("lobby marker");
        var rest = new List<ChatMessageReceived>();
        while (await bob.NextAsync(m => m.Kind == "chat", "m4 and the marker", 20) is { } m && m.Text != "lobby marker")
        {
            rest.Add(m);
        }

        Assert.Equal(["m4"], rest.Select(m => m.Text));
        await EndAllAsync(alice, bob);
    }

    [ClusterFact]
    public async Task A_message_forged_into_redis_is_refused_by_every_node()
    {
        await using var cluster = await Cluster.StartAsync();
        var people = cluster.People;
        var alice = await cluster.ConnectAsync(0, 0);
        var bob = await cluster.ConnectAsync(1, 1);
        var carol = await cluster.ConnectAsync(2, 2);
        await alice.SendAsync("for bob only", "@" + people.Bob);
        Assert.Equal("for bob only", (await bob.NextChatAsync("alice's direct message")).Text);
        var store = ConversationStoreFactory.Create(people.Db);
        var id = (await store.HistoryAsync(SecureChat.Protocol.Session.Conversations.ThreadOf(people.Alice, "@" + people.Bob), 1)).Single().Id;
        (store as IDisposable)?.Dispose();

        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.EndPoint);
        var bus = redis.GetSubscriber();
        var channel = RedisChannel.Literal(RedisBus.Channel);
        var lobbyBody = $$$"""{"text":"forged lobby","r":"","from":"{{{people.Alice}}}","kind":"chat","ts":1,"origin":{"session_id":"00","seqno":1}}""";
        foreach (var forged in new[]
        {
            new BusEnvelope("evil", "@" + people.Carol, id, [people.Carol]),          // bob's message, to carol
            new BusEnvelope("evil", "@" + people.Bob, id, [people.Bob, people.Carol]), // the same, replayed to bob
            new BusEnvelope("evil", "#lobby", 0, [], lobbyBody),                       // a lobby message with no valid origin
            new BusEnvelope("evil", people.Ops, id, [people.Bob, people.Carol]),       // a direct message passed off as a room's
            new BusEnvelope("evil", "@" + people.Bob, id + 1_000_000, [people.Bob]),   // no such message
        })
        {
            await bus.PublishAsync(channel, forged.ToJson());
        }

        await bus.PublishAsync(channel, "not json at all");

        // Nothing reaches anyone: the next chat message each sees is this marker.
        await alice.SendAsync("lobby marker");
        Assert.Equal("lobby marker", (await bob.NextChatAsync("the marker")).Text);
        Assert.Equal("lobby marker", (await carol.NextChatAsync("the marker")).Text);

        // Every node looked and refused: the forged lobby copy everywhere, the others where their addressees are. (A
        // forged room or direct message is refused after a read of the record, so it may be judged after the marker.)
        foreach (var i in Enumerable.Range(0, 3))
        {
            await Infrastructure.Eventually.TrueAsync(() => cluster[i].Server.Runtime.Conversations.RefusedFromBus >= 1, $"node {i} refused the forged lobby copy");
        }

        await Infrastructure.Eventually.TrueAsync(() => cluster[1].Server.Runtime.Conversations.RefusedFromBus >= 3, "node b (bob) refused the replay, the lobby copy and the room");
        await Infrastructure.Eventually.TrueAsync(() => cluster[2].Server.Runtime.Conversations.RefusedFromBus >= 3, "node c (carol) refused the redirect, the lobby copy and the room");
        await EndAllAsync(alice, bob, carol);
    }

    private static async Task EndAllAsync(params ChatClient[] clients)
    {
        foreach (var client in clients)
        {
            await client.EndAsync();
            await client.DisposeAsync();
        }
    }
}
