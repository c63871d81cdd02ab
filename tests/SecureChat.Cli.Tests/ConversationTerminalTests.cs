namespace SecureChat.Cli.Tests;

/// <summary>Rooms and direct messages as people use them, in real terminals (tmux) against a real server: two line
/// clients join #ops, write there and to each other, and a mistyped command never leaves the machine; a full-screen
/// client started in a room lists its conversations and files a direct message under its author.</summary>
public sealed class ConversationTerminalTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    /// <summary>Bounds every wait; each test takes well under 40 s.</summary>
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [TerminalFact]
    public async Task Two_line_clients_talk_in_a_room_and_directly_and_a_mistyped_command_is_never_sent()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"));
        using var ann = TmuxTerminal.Start(sandbox.Path, ["client", "--plain", "--connect", server.Address, "--pki", pki.Directory]);
        using var bob = TmuxTerminal.Start(sandbox.Path, ["client", "--plain", "--connect", server.Address, "--pki", pki.Directory]);
        await RegisterAsync(ann, "ann");
        await RegisterAsync(bob, "bob");
        await ann.WaitForAsync("your rooms: #lobby", Bounded);

        Enter(ann, "/join #ops");
        await ann.WaitForAsync("you are in #ops; members: ann", Bounded);
        await ann.WaitForAsync("#ops>", Bounded);
        Enter(bob, "/join #ops");
        await bob.WaitForAsync("you are in #ops; members: ann, bob", Bounded);
        await ann.WaitForAsync("bob joined #ops", Bounded);

        // In the current conversation a message carries no conversation; from another one it does.
        Enter(ann, "deploy at 10");
        await ann.WaitForAsync("[ann] deploy at 10", Bounded);
        var screen = await bob.WaitForAsync("[ann (server-attested)] deploy at 10", Bounded);
        Assert.DoesNotContain("[#ops] [ann", screen, StringComparison.Ordinal);
        Enter(bob, "/go #lobby");
        await bob.WaitForAsync("now writing to #lobby", Bounded);
        Enter(ann, "and the rollback at 11");
        await bob.WaitForAsync("[#ops] [ann (server-attested)] and the rollback at 11", Bounded);

        Enter(ann, "/msg @bob hi bob");
        await ann.WaitForAsync("[@bob] [ann] hi bob", Bounded);
        await bob.WaitForAsync("[@ann] [ann (server-attested)] hi bob", Bounded);

        // The typo is refused on ann's side; the line after it reaches bob, the typo never does.
        Enter(ann, "/mgs x");
        await ann.WaitForAsync("/mgs: no such command, nothing was sent", Bounded);
        Enter(ann, "/join #Ops");
        await ann.WaitForAsync("not sent: /join: '#Ops' is not a room name", Bounded);
        Enter(ann, "after the typo");
        screen = await bob.WaitForAsync("[#ops] [ann (server-attested)] after the typo", Bounded);
        Assert.DoesNotContain("mgs", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("#Ops", screen, StringComparison.Ordinal);
        Assert.Contains("#lobby>", screen, StringComparison.Ordinal);

        Enter(ann, "/quit");
        Enter(bob, "/quit");
        Assert.Contains("[exit 0]", await ann.WaitForAsync("[exit ", Bounded), StringComparison.Ordinal);
        Assert.Contains("[exit 0]", await bob.WaitForAsync("[exit ", Bounded), StringComparison.Ordinal);
    }

    [TerminalFact]
    public async Task A_full_screen_client_started_in_a_room_lists_it_and_files_a_direct_message_under_its_author()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"));
        using var cat = TmuxTerminal.Start(sandbox.Path, ["client", "--plain", "--connect", server.Address, "--pki", pki.Directory, "--room", "#ops"]);
        await RegisterAsync(cat, "cat");
        await cat.WaitForAsync("you are in #ops; members: cat", Bounded);
        Enter(cat, "before dan came");
        await cat.WaitForAsync("[cat] before dan came", Bounded);

        using var dan = TmuxTerminal.Start(sandbox.Path, ["client", "--connect", server.Address, "--pki", pki.Directory, "--room", "#ops", "--history", "5"],
            width: 100, height: 20);
        await RegisterAsync(dan, "dan");
        var screen = await dan.WaitForAsync("S [cat] (history) before dan came", Bounded);
        Assert.Contains("| dan | #ops | session ", screen, StringComparison.Ordinal);
        Assert.Contains("#ops", screen.Split('\n')[2], StringComparison.Ordinal);

        Enter(cat, "/msg dan psst");
        await dan.WaitForAsync("@cat (1)", Bounded);
        Assert.DoesNotContain("psst", dan.Screen(), StringComparison.Ordinal);
        Enter(dan, "/go @cat");
        await dan.WaitForAsync("S [cat] psst", Bounded);
        Enter(dan, "got it");
        await dan.WaitForAsync("> [dan] got it", Bounded);
        await cat.WaitForAsync("[@dan] [dan (server-attested)] got it", Bounded);

        Enter(dan, "/mgs x");
        await dan.WaitForAsync("/mgs: no such command, nothing was sent", Bounded);

        dan.Press("C-c");
        Enter(cat, "/quit");
        Assert.Contains("[exit 0]", await dan.WaitForAsync("[exit ", Bounded), StringComparison.Ordinal);
        screen = await cat.WaitForAsync("[exit ", Bounded);
        Assert.Contains("[exit 0]", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("mgs", screen, StringComparison.Ordinal);
    }

    private static void Enter(TmuxTerminal terminal, string line)
    {
        terminal.Type(line);
        terminal.Press("Enter");
    }

    private static async Task RegisterAsync(TmuxTerminal terminal, string username)
    {
        foreach (var (prompt, answer) in new[] { ("register or log in?", "r"), ("e-mail:", ScriptedClient.Email(username)), ("username:", username), ("password:", ScriptedClient.Password) })
        {
            await terminal.WaitForAsync(prompt, Bounded);
            Enter(terminal, answer);
        }

        await terminal.WaitForAsync($"logged in as {username}", Bounded);
    }
}
