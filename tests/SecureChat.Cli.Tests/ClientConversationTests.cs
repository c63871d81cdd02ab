using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests;

/// <summary>The scripted client in rooms and direct messages: <c>--room</c>, <c>--to</c>, <c>--history</c>, and the
/// JSON lines scripts read (<c>from</c>, <c>to</c>, <c>text</c>, <c>ts</c>, <c>proof</c>, <c>delayed</c>, <c>history</c>).</summary>
public sealed class ClientConversationTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    [Fact]
    public async Task A_room_a_direct_message_and_history_through_the_scripted_client()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"));
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            CliAssert.Succeeded(await ScriptedClient.RunAsync(sandbox, sandbox.Path,
                ScriptedClient.Register(server.Address, pki.Directory, name, "--send", "hello"), ScriptedClient.Input()));
        }

        // bob waits in #ops; alice joins and writes there; carol, not in #ops, writes to bob directly.
        var bob = await ScriptedClient.StartAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Address, pki.Directory, "bob", "--room", "#ops", "--receive", "2", "--timeout", "30", "--json"), ScriptedClient.Input());
        CliAssert.Succeeded(await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Address, pki.Directory, "alice", "--room", "#ops", "--send", "deploy at 10"), ScriptedClient.Input()));
        CliAssert.Succeeded(await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Address, pki.Directory, "carol", "--to", "bob", "--send", "psst, bob"), ScriptedClient.Input()));

        var atBob = ClientOutput.Parse(await bob.WaitForExitAsync(TimeSpan.FromSeconds(40)));
        var chats = Chats(atBob);
        Assert.Contains(chats, m => (string?)m["from"] == "alice" && (string?)m["to"] == "#ops" && (string?)m["text"] == "deploy at 10");
        Assert.Contains(chats, m => (string?)m["from"] == "carol" && (string?)m["to"] == "@bob" && (string?)m["text"] == "psst, bob");
        Assert.All(chats, m => Assert.False((bool)m["delayed"]! || (bool)m["history"]!));
        Assert.All(chats, m => Assert.True((long)m["ts"]! > 0));

        // A late joiner of #ops gets the room's last message marked history.
        var late = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Address, pki.Directory, "carol", "--room", "#ops", "--history", "5", "--receive", "1", "--json"), ScriptedClient.Input());
        CliAssert.Succeeded(late);
        var history = Assert.Single(Chats(ClientOutput.Parse(late)));
        Assert.Equal(("alice", "#ops", "deploy at 10", true), ((string?)history["from"], (string?)history["to"], (string?)history["text"], (bool)history["history"]!));

        // A direct message to nobody is refused by the server: the script fails and says so.
        var nobody = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login(server.Address, pki.Directory, "alice", "--to", "nobody", "--send", "hello?", "--receive", "1", "--timeout", "5", "--json"),
            ScriptedClient.Input());
        Assert.True(nobody.ExitCode == 1, nobody.ToString());
        Assert.Contains(ClientOutput.Parse(nobody).Events, e => (string?)e["notice"] == "refused" && (string?)e["code"] == "UNKNOWN_USER");
        await server.StopAsync();
    }

    [Theory]
    [InlineData("--room", "ops", "is not a room name")]
    [InlineData("--to", "a b", "is not a username")]
    public async Task A_malformed_room_or_user_is_a_usage_error(string option, string value, string message)
    {
        using var sandbox = new CliSandbox();

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Login("127.0.0.1:1", pki.Directory, "alice", option, value), ScriptedClient.Input());

        CliAssert.FailedWithOneSentence(result, message);
    }

    private static List<JsonObject> Chats(ClientOutput output) =>
        [.. output.Events.Where(e => (string?)e["event"] == "message" && (string?)e["kind"] == "chat")];
}
