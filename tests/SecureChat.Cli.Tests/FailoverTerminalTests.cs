namespace SecureChat.Cli.Tests;

/// <summary><c>--connect A,B</c>: a client given several servers of one chat uses the first that answers, and when its
/// server is killed (SIGKILL) reconnects to the next one and chats on.</summary>
public sealed class FailoverTerminalTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    [TerminalFact]
    public async Task A_client_whose_server_is_killed_reconnects_to_the_next_address_and_chats_on()
    {
        using var sandbox = new CliSandbox();

        // Two servers over one database (the same folder, one SQLite file): two nodes of one chat, without a bus.
        var a = await StartAsync(sandbox, ChatServerProcess.FreePort());
        var b = await StartAsync(sandbox, ChatServerProcess.FreePort());
        using var alice = TmuxTerminal.Start(Folder(sandbox, "alice"), ["client", "--plain", "--connect", $"{a.Address},{b.Address}", "--pki", pki.Directory]);
        foreach (var (prompt, answer) in new[] { ("register or log in?", "r"), ("e-mail:", ScriptedClient.Email("alice")), ("username:", "alice"), ("password:", ScriptedClient.Password) })
        {
            await alice.WaitForAsync(prompt, Bounded);
            alice.Type(answer);
            alice.Press("Enter");
        }

        await alice.WaitForAsync($"connected to {a.Address}", Bounded);
        await alice.WaitForAsync("logged in as alice", Bounded);

        a.Process.Kill();
        await alice.WaitForAsync("reconnected: logged in as alice, session ", Bounded);
        var bob = await ScriptedClient.StartAsync(sandbox, Folder(sandbox, "bob"),
            ScriptedClient.Register(b.Address, pki.Directory, "bob", "--receive", "1", "--timeout", "30"), ScriptedClient.Input());
        alice.Type("still here, on the other node");
        alice.Press("Enter");
        var bobResult = await bob.WaitForExitAsync(Bounded);
        CliAssert.Succeeded(bobResult);
        Assert.Contains(("alice", "still here, on the other node"), ClientOutput.Parse(bobResult).ChatMessages);

        alice.Type("/quit");
        alice.Press("Enter");
        Assert.Contains("[exit 0]", await alice.WaitForAsync("[exit ", Bounded), StringComparison.Ordinal);
        await b.StopAsync();
    }

    [Fact]
    public async Task A_scripted_client_skips_an_address_nobody_answers_at()
    {
        using var sandbox = new CliSandbox();
        var server = await StartAsync(sandbox, ChatServerProcess.FreePort());

        var result = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register($"127.0.0.1:{ChatServerProcess.FreePort()},{server.Address}", pki.Directory, "carol", "--send", "hello"),
            ScriptedClient.Input());

        CliAssert.Succeeded(result);
        await server.StopAsync();
    }

    private Task<ChatServerProcess> StartAsync(CliSandbox sandbox, int port) =>
        ChatServerProcess.StartOnPortAsync(sandbox, pki.Directory, sandbox.File("server"), port, ChatEnvironment.NoPresenceNotices);

    private static string Folder(CliSandbox sandbox, string name)
    {
        var folder = sandbox.File(name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
