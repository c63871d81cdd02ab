using SecureChat.Client;

namespace SecureChat.Cli.Tests;

/// <summary>The store is the record (protocol §9.8.4): a direct message for someone offline survives the server being
/// killed with SIGKILL and arrives, marked delayed, at that person's next login.</summary>
public sealed class OfflineDeliveryTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_direct_message_stored_for_someone_offline_survives_SIGKILL_and_is_delivered_at_the_next_login()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.Path);
        var alice = await ConnectAsync(server, sandbox, "alice", register: true);
        var bob = await ConnectAsync(server, sandbox, "bob", register: true);
        var carol = await ConnectAsync(server, sandbox, "carol", register: true);
        await carol.EndAsync();
        await carol.DisposeAsync();

        // alice's session handles her messages in order: once bob has the lobby marker, the direct message before it
        // has been stored.
        Assert.True(await alice.SendAsync("kept for you, carol", "@carol"));
        Assert.True(await alice.SendAsync("marker"));
        await NextAsync(bob, m => m.Text == "marker", "the lobby marker");

        server.Process.Kill();
        Assert.Equal(128 + 9, (await server.Process.WaitForExitAsync()).ExitCode);
        await alice.DisposeAsync();
        await bob.DisposeAsync();

        var restarted = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.Path);
        var back = await ConnectAsync(restarted, sandbox, "carol", register: false);
        var delayed = await NextAsync(back, m => m.Kind == "chat", "the direct message kept for carol");
        Assert.Equal(("kept for you, carol", "alice", "delayed", "@carol"), (delayed.Text, delayed.From, delayed.Mark, delayed.To));
        Assert.True((await back.EndAsync()).ReceiptsMatched);
        await back.DisposeAsync();
        await restarted.StopAsync();
    }

    private async Task<ChatClient> ConnectAsync(ChatServerProcess server, CliSandbox sandbox, string name, bool register)
    {
        var options = ClientSetup.Load(pki.Directory, null, null, null, "server.local", sandbox.File(Path.Combine("client-transcripts", name)));
        var client = await ChatClient.ConnectAsync("127.0.0.1", server.Port, options);
        var answer = register
            ? await client.RegisterAsync($"{name}@example.org", name, Password)
            : await client.LoginAsync($"{name}@example.org", Password);
        Assert.True(answer.Ok, answer.Message);
        return client;
    }

    private static async Task<ChatMessageReceived> NextAsync(ChatClient client, Func<ChatMessageReceived, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var e = await client.Events.ReadAsync(timeout.Token);
            if (e is ChatMessageReceived m && match(m))
            {
                return m;
            }

            Assert.False(e is ChatEnded, $"{client.Username}'s session ended while waiting for {what}");
        }
    }
}
