using System.Text.RegularExpressions;

namespace SecureChat.Cli.Tests;

/// <summary>The client as a person uses it, in a real terminal (tmux): credentials are asked for before connecting,
/// Ctrl-D at a prompt ends cleanly, and the chat line editor edits, remembers, refuses unknown commands and ends
/// with receipts on Ctrl-C.</summary>
public sealed partial class TerminalClientTests(InitializedPki pki) : IClassFixture<InitializedPki>
{
    /// <summary>Far shorter than a person takes to type a password.</summary>
    private static readonly Dictionary<string, string?> QuickHandshake = new() { ["SECURECHAT_HANDSHAKETIMEOUTSECONDS"] = "2" };

    [TerminalFact]
    public async Task Typing_slower_than_the_handshake_timeout_still_logs_in_and_the_chat_edits_and_ends_with_receipts()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"), QuickHandshake);
        using var terminal = TmuxTerminal.Start(sandbox.Path, ["client", "--plain", "--connect", server.Address, "--pki", pki.Directory]);

        await terminal.WaitForAsync("register or log in?");
        terminal.Type("r");
        terminal.Press("Enter");
        await terminal.WaitForAsync("e-mail:");
        terminal.Type("dora@example.org");
        terminal.Press("Enter");
        await terminal.WaitForAsync("username:");
        terminal.Type("dora");
        terminal.Press("Enter");
        await terminal.WaitForAsync("password:");
        await Task.Delay(TimeSpan.FromSeconds(3));
        terminal.Type(ScriptedClient.Password);
        terminal.Press("Enter");
        await terminal.WaitForAsync("logged in as dora");

        terminal.Type("helo");
        terminal.Press("Left", "Left");
        terminal.Type("l");
        terminal.Press("Enter");
        await terminal.WaitForAsync("[dora] hello");
        terminal.Type("/shout hi");
        terminal.Press("Enter");
        await terminal.WaitForAsync("/shout: no such command, nothing was sent");
        terminal.Press("Up", "Up");
        await terminal.WaitForAsync("> hello");
        terminal.Press("C-u");
        terminal.Press("C-c");
        var screen = await terminal.WaitForAsync("[exit ");

        Assert.Contains("receipts exchanged and verified", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 0]", screen, StringComparison.Ordinal);
        Assert.Matches(ChatLine(), screen);
        Assert.DoesNotContain("TIMEOUT", screen, StringComparison.Ordinal);
    }

    [TerminalFact]
    public async Task A_scripted_login_in_a_terminal_asks_for_the_password_before_connecting_and_Ctrl_D_aborts()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"), QuickHandshake);
        using var terminal = TmuxTerminal.Start(sandbox.Path,
            ["client", "--connect", server.Address, "--pki", pki.Directory, "--login", "--email", "nobody@example.org"]);

        await terminal.WaitForAsync("password:");
        await Task.Delay(TimeSpan.FromSeconds(3));
        terminal.Press("C-d");
        var screen = await terminal.WaitForAsync("[exit ");

        Assert.Contains("securechat: no password given", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 1]", screen, StringComparison.Ordinal);
        var stopped = await server.StopAsync();
        Assert.DoesNotContain("TIMEOUT", stopped.StandardOutput + stopped.StandardError, StringComparison.Ordinal);
    }

    [TerminalFact]
    public async Task A_wide_line_stays_on_one_row_when_messages_arrive_and_an_oversize_line_is_refused_on_the_spot()
    {
        using var sandbox = new CliSandbox();
        var server = await ChatServerProcess.StartAsync(sandbox, pki.Directory, sandbox.File("server"));
        using var terminal = TmuxTerminal.Start(sandbox.Path, ["client", "--plain", "--connect", server.Address, "--pki", pki.Directory], width: 60);
        await RegisterAsync(terminal, "erin");

        terminal.Type(new string('x', 150));
        var sender = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, pki.Directory, "fred", "--send", "ping"), ScriptedClient.Input());
        CliAssert.Succeeded(sender);
        var screen = await terminal.WaitForAsync("[fred (server-attested)] ping");
        Assert.Single(screen.Split('\n'), row => row.Contains("xxxxxxxxxx", StringComparison.Ordinal));

        terminal.Press("C-u");
        terminal.Type(new string('y', 17_000));
        terminal.Press("Enter");
        await terminal.WaitForAsync("not sent:");
        terminal.Type("still here");
        terminal.Press("Enter");
        await terminal.WaitForAsync("[erin] still here");
        terminal.Press("C-d");
        screen = await terminal.WaitForAsync("[exit ");

        Assert.Contains("16384 bytes", screen, StringComparison.Ordinal);
        Assert.Contains("[exit 0]", screen, StringComparison.Ordinal);
    }

    private static async Task RegisterAsync(TmuxTerminal terminal, string username)
    {
        foreach (var (prompt, answer) in new[] { ("register or log in?", "r"), ("e-mail:", ScriptedClient.Email(username)), ("username:", username), ("password:", ScriptedClient.Password) })
        {
            await terminal.WaitForAsync(prompt);
            terminal.Type(answer);
            terminal.Press("Enter");
        }

        await terminal.WaitForAsync($"logged in as {username}");
    }

    [GeneratedRegex(@"\d\d:\d\d \[dora\] hello")]
    private static partial Regex ChatLine();
}
