using SecureChat.Client;
using SecureChat.Evidence;

namespace SecureChat.Integration.Tests;

public sealed class ChatTests
{
    [Fact]
    public async Task Register_then_login_on_a_new_connection()
    {
        await using var server = await RunningServer.StartAsync();
        await using (var first = await server.RegisterAsync("alice"))
        {
            Assert.True((await first.EndAsync()).ReceiptsMatched);
        }

        await using var again = await server.ConnectAsync("alice");
        var wrong = await again.LoginAsync("alice@example.org", "wrong password!");
        Assert.False(wrong.Ok);
        Assert.Equal("INVALID_CREDENTIALS", wrong.Code);
        var unknown = await again.LoginAsync("nobody@example.org", "wrong password!");
        Assert.Equal((wrong.Code, wrong.Message), (unknown.Code, unknown.Message));
        var ok = await again.LoginAsync("alice@example.org", "correct horse battery");
        Assert.True(ok.Ok);
        Assert.Equal("alice", ok.Username);
        Assert.True((await again.EndAsync()).ReceiptsMatched);
    }

    [Fact]
    public async Task Duplicate_registration_is_user_exists()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await server.RegisterAsync("alice");
        await using var second = await server.ConnectAsync("alice2");
        var response = await second.RegisterAsync("alice@example.org", "alice2", "correct horse battery");
        Assert.Equal("USER_EXISTS", response.Code);
    }

    [Fact]
    public async Task Two_users_chat_through_the_relay_and_both_sides_keep_matching_receipts()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await server.RegisterAsync("alice");
        await using var bob = await server.RegisterAsync("bob");

        await alice.SendAsync("hi bob");
        var atBob = await bob.ReceiveChatAsync(1);
        Assert.Equal(("alice", "hi bob"), (atBob[0].From, atBob[0].Text));
        await bob.SendAsync("hi alice");
        var atAlice = await alice.ReceiveChatAsync(1);
        Assert.Equal(("bob", "hi alice"), (atAlice[0].From, atAlice[0].Text));

        var aliceEnd = await alice.EndAsync();
        var bobEnd = await bob.EndAsync();
        Assert.True(aliceEnd.ReceiptsMatched, aliceEnd.Error?.ToString());
        Assert.True(bobEnd.ReceiptsMatched, bobEnd.Error?.ToString());

        var clientFile = await File.ReadAllLinesAsync(alice.TranscriptPath!);
        Assert.IsType<TranscriptHeader>(TranscriptJson.TryParse(System.Text.Encoding.UTF8.GetBytes(clientFile[0])));
        Assert.Equal(2, clientFile.Count(l => l.Contains("\"kind\":\"receipt\"", StringComparison.Ordinal)));
        Assert.Contains(clientFile, l => l.Contains("\"plaintext\"", StringComparison.Ordinal));

        var serverFiles = Directory.GetFiles(server.ServerTranscripts, "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(2, serverFiles.Length);
        foreach (var file in serverFiles)
        {
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(2, lines.Count(l => l.Contains("\"kind\":\"receipt\"", StringComparison.Ordinal)));
            Assert.DoesNotContain(lines, l => l.Contains("\"plaintext\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Twenty_users_each_receive_every_other_users_message()
    {
        await using var server = await RunningServer.StartAsync();
        var clients = new List<ChatClient>();
        for (var i = 0; i < 20; i++)
        {
            clients.Add(await server.RegisterAsync($"user{i:00}"));
        }

        await Task.WhenAll(clients.Select((c, i) => c.SendAsync($"message from user{i:00}")));
        var received = await Task.WhenAll(clients.Select(c => c.ReceiveChatAsync(19, 60)));
        for (var i = 0; i < 20; i++)
        {
            var expected = Enumerable.Range(0, 20).Where(j => j != i).Select(j => $"message from user{j:00}").Order();
            Assert.Equal(expected, received[i].Select(m => m.Text).Order());
        }

        var ends = await Task.WhenAll(clients.Select(c => c.EndAsync()));
        Assert.All(ends, e => Assert.True(e.ReceiptsMatched, e.Error?.ToString()));
        foreach (var c in clients)
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Graceful_shutdown_ends_open_sessions_with_receipts()
    {
        var server = await RunningServer.StartAsync();
        await using var alice = await server.RegisterAsync("alice");
        await using var bob = await server.RegisterAsync("bob");
        await alice.SendAsync("before shutdown");
        await bob.ReceiveChatAsync(1);

        await server.DisposeAsync();

        var aliceEnd = await alice.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        var bobEnd = await bob.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(aliceEnd.ReceiptsMatched, aliceEnd.Error?.ToString());
        Assert.True(bobEnd.ReceiptsMatched, bobEnd.Error?.ToString());
        foreach (var file in Directory.GetFiles(server.ServerTranscripts, "*.jsonl", SearchOption.AllDirectories))
        {
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(2, lines.Count(l => l.Contains("\"kind\":\"receipt\"", StringComparison.Ordinal)));
        }
    }
}
