namespace SecureChat.Cli.Tests;

/// <summary>The interactive clients, in a real terminal (tmux), when their server goes away: a server process on a
/// fixed port is stopped (SIGTERM: every session ends with receipts) and another one started on the same port with
/// the same database and PKI. The client stays, says it is reconnecting, logs in again and chats on; a login the new
/// server refuses, or a server certificate from another CA, stops it with exit code 1.</summary>
public sealed class ReconnectTerminalTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    /// <summary>Bounds every wait; each test takes well under 40 s.</summary>
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    [TerminalFact]
    public async Task The_line_client_reconnects_after_a_server_restart_logs_in_again_and_chats_on()
    {
        using var sandbox = new CliSandbox();
        var port = ChatServerProcess.FreePort();
        var first = await StartServerAsync(sandbox, port, "server");
        using var alice = TmuxTerminal.Start(Folder(sandbox, "alice"), ["client", "--plain", "--connect", first.Address, "--pki", pki.Directory]);
        await RegisterAsync(alice, "alice");

        // The session's first request (its rooms) is answered before the server stops: a request still in flight when
        // the server sends its receipt would honestly leave the transcript incomplete.
        await alice.WaitForAsync("your rooms: #lobby", Bounded);
        var stopped = await first.StopAsync();
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        await alice.WaitForAsync("session ended by the server (receipts exchanged); reconnecting in 1 s (attempt 1)...", Bounded);
        alice.Type("too early");
        alice.Press("Enter");
        await alice.WaitForAsync("not sent: not connected, reconnecting", Bounded);

        var second = await StartServerAsync(sandbox, port, "server");
        await alice.WaitForAsync("reconnected: logged in as alice, session ", Bounded);
        var bob = await ScriptedClient.StartAsync(sandbox, Folder(sandbox, "bob"),
            ScriptedClient.Register(second.Address, pki.Directory, "bob", "--receive", "1", "--timeout", "30"), ScriptedClient.Input());
        alice.Type("back after the restart");
        alice.Press("Enter");
        await alice.WaitForAsync("[alice] back after the restart", Bounded);
        var bobResult = await bob.WaitForExitAsync(Bounded);
        CliAssert.Succeeded(bobResult);
        Assert.Contains(("alice", "back after the restart"), ClientOutput.Parse(bobResult).ChatMessages);

        alice.Type("/quit");
        alice.Press("Enter");
        var screen = await alice.WaitForAsync("[exit ", Bounded);
        Assert.Contains("receipts exchanged and verified", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 0]", screen, StringComparison.Ordinal);

        // Two sessions, two transcripts, each complete with both receipts; the line refused while away was never sent.
        var transcripts = Directory.GetFiles(sandbox.File("alice/data/client-transcripts"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(2, transcripts.Length);
        var (verified, reports) = await Verifier.RunJsonAsync(pki.CaCertificate, transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.All(reports, r => Verifier.AssertAccepted(r, complete: true));
        // Each session sent its rooms request (PROTOCOL §9.8.3); the one chat line is the only other message.
        Assert.Equal(2 + 1, reports.Sum(r => (int)r["client_to_server_messages"]!));
    }

    [TerminalFact]
    public async Task A_login_the_new_server_refuses_stops_reconnecting_with_exit_code_1()
    {
        using var sandbox = new CliSandbox();
        var port = ChatServerProcess.FreePort();
        var first = await StartServerAsync(sandbox, port, "server");
        using var carol = TmuxTerminal.Start(Folder(sandbox, "carol"), ["client", "--plain", "--connect", first.Address, "--pki", pki.Directory]);
        await RegisterAsync(carol, "carol");

        await first.StopAsync();
        await carol.WaitForAsync("reconnecting in", Bounded);

        // Another database: the account is not there.
        await StartServerAsync(sandbox, port, "other-server");
        var screen = await carol.WaitForAsync("[exit ", Bounded);

        Assert.Contains("securechat: reconnecting stopped: the server refused the login:", screen, StringComparison.Ordinal);
        Assert.Contains("(INVALID_CREDENTIALS)", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 1]", screen, StringComparison.Ordinal);
    }

    [TerminalFact]
    public async Task A_server_certificate_from_another_CA_stops_reconnecting_with_exit_code_1()
    {
        using var sandbox = new CliSandbox();
        var port = ChatServerProcess.FreePort();
        var first = await StartServerAsync(sandbox, port, "server");
        using var dave = TmuxTerminal.Start(Folder(sandbox, "dave"), ["client", "--plain", "--connect", first.Address, "--pki", pki.Directory]);
        await RegisterAsync(dave, "dave");

        await first.StopAsync();
        await dave.WaitForAsync("reconnecting in", Bounded);

        // Same port and database, but a server certificate the client's CA never signed.
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init", "--out", sandbox.File("rogue-pki")));
        await ChatServerProcess.StartOnPortAsync(sandbox, sandbox.File("rogue-pki"), sandbox.File("server"), port, ChatEnvironment.NoPresenceNotices);
        var screen = await dave.WaitForAsync("[exit ", Bounded);

        Assert.Contains("securechat: reconnecting stopped:", screen, StringComparison.Ordinal);
        Assert.Contains("(BAD_CERT)", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 1]", screen, StringComparison.Ordinal);
    }

    [TerminalFact]
    public async Task The_full_screen_client_stays_open_shows_it_is_reconnecting_and_comes_back()
    {
        using var sandbox = new CliSandbox();
        var port = ChatServerProcess.FreePort();
        var first = await StartServerAsync(sandbox, port, "server");
        using var ann = TmuxTerminal.Start(Folder(sandbox, "ann"), ["client", "--connect", first.Address, "--pki", pki.Directory], width: 160, height: 24);
        await RegisterAsync(ann, "ann");

        await first.StopAsync();
        var screen = await ann.WaitForAsync("| ann | #lobby | reconnecting... |", Bounded);
        Assert.Contains("session ended by the server (receipts exchanged); reconnecting in 1 s (attempt 1)...", screen, StringComparison.Ordinal);
        Assert.Contains("receipts verified", screen, StringComparison.Ordinal);
        ann.Type("while away");
        ann.Press("Enter");
        await ann.WaitForAsync("not sent: not connected, reconnecting", Bounded);
        Assert.DoesNotContain("[exit ", ann.Screen(), StringComparison.Ordinal);

        await StartServerAsync(sandbox, port, "server");
        await ann.WaitForAsync("reconnected: logged in as ann, session ", Bounded);
        screen = await ann.WaitForAsync("receipts pending", Bounded);
        Assert.Contains("| ann | #lobby | session ", screen, StringComparison.Ordinal);
        ann.Type("hello again");
        ann.Press("Enter");
        await ann.WaitForAsync("> [ann] hello again", Bounded);

        ann.Press("C-c");
        screen = await ann.WaitForAsync("[exit ", Bounded);
        Assert.Contains("receipts exchanged and verified", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 0]", screen, StringComparison.Ordinal);
    }

    /// <summary>A server on <paramref name="port"/> in the sandbox folder <paramref name="folder"/> (its SQLite users
    /// and transcripts), without presence notices so that every transcript can end complete.</summary>
    private Task<ChatServerProcess> StartServerAsync(CliSandbox sandbox, int port, string folder) =>
        ChatServerProcess.StartOnPortAsync(sandbox, pki.Directory, sandbox.File(folder), port, ChatEnvironment.NoPresenceNotices);

    private static string Folder(CliSandbox sandbox, string name)
    {
        var folder = sandbox.File(name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task RegisterAsync(TmuxTerminal terminal, string username)
    {
        foreach (var (prompt, answer) in new[] { ("register or log in?", "r"), ("e-mail:", ScriptedClient.Email(username)), ("username:", username), ("password:", ScriptedClient.Password) })
        {
            await terminal.WaitForAsync(prompt, Bounded);
            terminal.Type(answer);
            terminal.Press("Enter");
        }

        await terminal.WaitForAsync($"logged in as {username}", Bounded);
    }
}
