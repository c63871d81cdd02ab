using SecureChat.Client;
using SecureChat.Evidence.Audit;

namespace SecureChat.Integration.Tests.Conversations;

/// <summary>Rooms, direct messages, offline delivery and history (protocol §9.8) on a real server over loopback, with
/// per-user certificates, on SQLite and on MariaDB.</summary>
[Collection(nameof(People))]
public sealed class ConversationTests : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => People.ForgetRunAsync();

    [Fact]
    public Task A_room_message_reaches_members_only_and_a_direct_message_its_addressee_only_on_sqlite() => RoomAndDirectAsync("sqlite");

    [MySqlFact]
    public Task A_room_message_reaches_members_only_and_a_direct_message_its_addressee_only_on_mariadb() => RoomAndDirectAsync("mysql");

    [Fact]
    public Task A_late_joiner_gets_history_proven_by_the_authors_keys_on_sqlite() => HistoryAsync("sqlite");

    [MySqlFact]
    public Task A_late_joiner_gets_history_proven_by_the_authors_keys_on_mariadb() => HistoryAsync("mysql");

    [Fact]
    public Task Messages_to_a_room_one_is_not_in_or_to_nobody_are_refused_and_the_session_goes_on_on_sqlite() => RefusalsAsync("sqlite");

    [MySqlFact]
    public Task Messages_to_a_room_one_is_not_in_or_to_nobody_are_refused_and_the_session_goes_on_on_mariadb() => RefusalsAsync("mysql");

    [Fact]
    public Task A_direct_message_to_someone_offline_arrives_delayed_at_the_next_login_and_membership_survives_a_restart_on_sqlite() =>
        OfflineAsync("sqlite");

    [MySqlFact]
    public Task A_direct_message_to_someone_offline_arrives_delayed_at_the_next_login_and_membership_survives_a_restart_on_mariadb() =>
        OfflineAsync("mysql");

    private static async Task RoomAndDirectAsync(string backend)
    {
        var people = People.On(backend);
        await using var server = await people.StartServerAsync();
        var (alice, bob, carol) = Three(await people.ArriveAsync(server));
        await alice.JoinAsync(people.Ops);
        await alice.NoticeAsync("joined", people.Ops);
        await bob.JoinAsync(people.Ops);
        var joined = await bob.NoticeAsync("joined", people.Ops);
        Assert.Equal([people.Alice, people.Bob], joined.Users);

        await alice.SendAsync("deploy at 10", people.Ops);
        var atBob = await bob.NextChatAsync("alice's room message");
        Assert.Equal(("deploy at 10", people.Alice, people.Ops), (atBob.Text, atBob.From, atBob.To));
        Assert.Equal((SecureChat.Protocol.Session.ProofLevel.Author, People.EmailOf(0)), (atBob.Proof, atBob.AuthorEmail));

        await alice.SendAsync("carol, a word", "@" + people.Carol);
        var atCarol = await carol.NextChatAsync("alice's direct message");
        Assert.Equal(("carol, a word", "@" + people.Carol), (atCarol.Text, atCarol.To));

        // A lobby message after both: each recipient sees it next, so nothing else reached them in between.
        await alice.SendAsync("lobby marker");
        Assert.Equal("lobby marker", (await carol.NextChatAsync("the lobby marker")).Text);
        Assert.Equal("lobby marker", (await bob.NextChatAsync("the lobby marker")).Text);
        await EndAllAsync(alice, bob, carol);

        // Offline, carol's transcript alone proves that alice wrote to her, by alice's own key.
        using var stream = File.OpenRead(carol.TranscriptPath!);
        var report = TranscriptAuditor.Audit(stream, TestPki.Root);
        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        var direct = Assert.Single(report.Messages, m => m.Text == "carol, a word");
        Assert.Equal(("author", People.EmailOf(0), "@" + people.Carol), (direct.Proof, direct.Author, direct.To));
    }

    private static async Task HistoryAsync(string backend)
    {
        var people = People.On(backend);
        await using var server = await people.StartServerAsync();
        var (alice, bob, carol) = Three(await people.ArriveAsync(server));
        await alice.JoinAsync(people.Ops);
        await alice.NoticeAsync("joined", people.Ops);
        await carol.JoinAsync(people.Ops);
        await carol.NoticeAsync("joined", people.Ops);
        await alice.SendAsync("first, from alice", people.Ops);
        await carol.NextChatAsync("alice's first");
        await carol.SendAsync("second, from carol", people.Ops);
        await alice.NextChatAsync("carol's second");

        await bob.JoinAsync(people.Ops, history: 10);
        await bob.NoticeAsync("joined", people.Ops);
        var first = await bob.NextChatAsync("the first history message");
        var second = await bob.NextChatAsync("the second history message");
        var end = await bob.NoticeAsync("history", people.Ops);
        Assert.Equal(("first, from alice", "history"), (first.Text, first.Mark));
        Assert.Equal(("second, from carol", People.EmailOf(2)), (second.Text, second.AuthorEmail));
        Assert.Equal(2, end.Ref);
        await EndAllAsync(alice, bob, carol);

        // Offline, from bob's transcript and the CA certificate alone: each history message proven by its author's key.
        using var stream = File.OpenRead(bob.TranscriptPath!);
        var report = TranscriptAuditor.Audit(stream, TestPki.Root);
        // Accepted is what proves the messages; a presence notice in flight at bob's receipt may leave it incomplete.
        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        var proven = report.Messages.Where(m => m.Mark == "history").ToList();
        Assert.Equal([(People.EmailOf(0), "first, from alice"), (People.EmailOf(2), "second, from carol")],
            proven.Select(m => (m.Author, m.Text)).ToList());
        Assert.All(proven, m => Assert.Equal(("author", people.Ops), (m.Proof, m.To)));
    }

    private static async Task RefusalsAsync(string backend)
    {
        var people = People.On(backend);
        await using var server = await people.StartServerAsync();
        var (alice, bob, carol) = Three(await people.ArriveAsync(server));
        await alice.JoinAsync(people.Ops);
        await alice.NoticeAsync("joined", people.Ops);

        // carol's messages: 1 to a room she is not in, 2 to a room that does not exist, 3 to nobody.
        await carol.SendAsync("let me in", people.Ops);
        Assert.Equal("NOT_MEMBER", (await carol.RefusalAsync(1)).Code);
        await carol.SendAsync("hello?", people.Ops + "-none");
        Assert.Equal("UNKNOWN_ROOM", (await carol.RefusalAsync(2)).Code);
        await carol.SendAsync("anyone?", "@nobody" + people.Ops[5..]);
        Assert.Equal("UNKNOWN_USER", (await carol.RefusalAsync(3)).Code);
        // Reading is refused as posting is: the room's history and members, and other people's direct messages.
        await alice.SendAsync("for bob only", "@" + people.Bob);
        await bob.NextAsync(m => m.Text == "for bob only", "alice's direct message");
        await carol.RequestHistoryAsync(people.Ops, 10);
        Assert.Equal("NOT_MEMBER", (await carol.RefusalAsync(4)).Code);
        await carol.RequestWhoAsync(people.Ops);
        Assert.Equal("NOT_MEMBER", (await carol.RefusalAsync(5)).Code);
        await carol.RequestHistoryAsync("@" + people.Alice, 10);
        var shown = new List<ChatMessageReceived>();
        while (await carol.NextAsync(m => m.Kind == "chat" || m.Event == "history", "the answer to her history request") is { Kind: "chat" } m)
        {
            shown.Add(m);
        }

        Assert.All(shown, m => Assert.Equal("@" + people.Carol, m.To));

        await carol.SendAsync("still here");
        Assert.Equal("still here", (await bob.NextChatAsync("carol's lobby message")).Text);
        Assert.Equal("still here", (await alice.NextChatAsync("carol's lobby message")).Text);
        await EndAllAsync(alice, bob, carol);
    }

    private static async Task OfflineAsync(string backend)
    {
        var people = People.On(backend);
        await using (var server = await people.StartServerAsync())
        {
            var (alice, bob, carol) = Three(await people.ArriveAsync(server));
            await bob.JoinAsync(people.Ops);
            await bob.NoticeAsync("joined", people.Ops);
            await carol.EndAsync();
            await carol.DisposeAsync();
            await Infrastructure.Eventually.TrueAsync(() => server.Server.Runtime.Room.Count == 2, "carol has left");

            await alice.SendAsync("while you were out", "@" + people.Carol);
            await alice.SendAsync("lobby marker");
            await bob.NextAsync(m => m.Text == "lobby marker", "the marker after the direct message was stored");
            await EndAllAsync(alice, bob);
        }

        await using (var restarted = await people.StartServerAsync())
        {
            var carol = await People.ConnectAsync(restarted, 2);
            var delayed = await carol.NextChatAsync("the direct message kept for her");
            Assert.Equal(("while you were out", "delayed", people.Alice), (delayed.Text, delayed.Mark, delayed.From));
            Assert.Equal(SecureChat.Protocol.Session.ProofLevel.Author, delayed.Proof);

            var bob = await People.ConnectAsync(restarted, 1);
            await bob.RequestRoomsAsync();
            var rooms = await bob.NoticeAsync("rooms");
            Assert.Contains(people.Ops, rooms.Rooms!);
            await EndAllAsync(carol, bob);
        }

        // Delivered once: the next login of carol finds nothing pending.
        await using var third = await people.StartServerAsync();
        var again = await People.ConnectAsync(third, 2);
        await again.RequestRoomsAsync();
        await again.NoticeAsync("rooms");
        await again.SendAsync("back again");
        await again.EndAsync();
        await again.DisposeAsync();
        using var stream = File.OpenRead(again.TranscriptPath!);
        var report = TranscriptAuditor.Audit(stream, TestPki.Root);
        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        Assert.DoesNotContain(report.Messages, m => m.Mark is not null);
    }

    private static (ChatClient, ChatClient, ChatClient) Three(ChatClient[] c) => (c[0], c[1], c[2]);

    private static async Task EndAllAsync(params ChatClient[] clients)
    {
        foreach (var client in clients)
        {
            await client.EndAsync();
            await client.DisposeAsync();
        }
    }
}
