namespace SecureChat.Cli.Tests;

/// <summary>The full-screen client as a person uses it, in a real terminal (tmux) against a real server: it
/// registers, sends a line that a second full-screen client shows in its scrollback, and both leave with receipts.</summary>
public sealed class TuiTerminalTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [TerminalFact]
    public async Task A_line_typed_in_one_full_screen_client_appears_in_another_and_both_end_with_receipts()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"));
        using var ann = TmuxTerminal.Start(sandbox.Path, ["client", "--connect", server.Address, "--pki", pki.Directory], width: 100, height: 20);
        using var bob = TmuxTerminal.Start(sandbox.Path, ["client", "--connect", server.Address, "--pki", pki.Directory], width: 100, height: 20);
        await RegisterAsync(ann, "ann");
        await RegisterAsync(bob, "bob");

        ann.Type("hello from the full screen");
        ann.Press("Enter");
        await ann.WaitForAsync("> [ann] hello from the full screen", Generous);
        var seen = await bob.WaitForAsync("S [ann] hello from the full screen", Generous);

        Assert.Contains("chats", seen, StringComparison.Ordinal);
        Assert.Contains("| bob | #lobby | session ", seen, StringComparison.Ordinal);
        Assert.Contains("receipts pending", seen, StringComparison.Ordinal);
        ann.Type("/who");
        ann.Press("Enter");
        await ann.WaitForAsync("online: ann, bob", Generous);

        ann.Type("/quit");
        ann.Press("Enter");
        var annEnd = await ann.WaitForAsync("[exit ", Generous);
        bob.Press("C-c");
        var bobEnd = await bob.WaitForAsync("[exit ", Generous);

        Assert.Contains("receipts exchanged and verified", annEnd, StringComparison.Ordinal);
        Assert.Contains("[exit 0]", annEnd, StringComparison.Ordinal);
        Assert.Contains("receipts exchanged and verified", bobEnd, StringComparison.Ordinal);
        Assert.Contains("[exit 0]", bobEnd, StringComparison.Ordinal);
    }

    private static async Task RegisterAsync(TmuxTerminal terminal, string username)
    {
        foreach (var (prompt, answer) in new[] { ("register or log in?", "r"), ("e-mail:", ScriptedClient.Email(username)), ("username:", username), ("password:", ScriptedClient.Password) })
        {
            await terminal.WaitForAsync(prompt, Generous);
            terminal.Type(answer);
            terminal.Press("Enter");
        }

        await terminal.WaitForAsync($"logged in as {username}", Generous);
    }
}
