using System.Globalization;
using SecureChat.Client;
using Spectre.Console;

namespace SecureChat.Cli.Interactive;

/// <summary>The interactive client: ask for credentials, then connect, authenticate and chat with incoming messages
/// shown above the prompt.</summary>
/// <remarks>Credentials are asked for before connecting, so the server's handshake timer never counts typing; a
/// failed login asks again and connects afresh.</remarks>
internal static class InteractiveChat
{
    private const int Attempts = 3;

    /// <summary>What the person typed at the prompts.</summary>
    private sealed record Credentials(bool Register, string Email, string? Username, string Password);

    /// <summary>Runs until /quit, Ctrl-D, Ctrl-C (twice forces) or the server ends the session; <paramref name="chat"/>
    /// runs the logged-in session (the line client when null) and returns the exit code.</summary>
    public static async Task<int> RunAsync(string host, int port, ChatClientOptions options, CancellationToken cancellationToken,
        Func<ChatClient, CancellationToken, Task<int>>? chat = null)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var credentials = AskCredentials();
            var client = await ChatClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                AnsiConsole.MarkupLine($"[green]connected[/] to {Markup.Escape(host)}:{port}: server certificate verified, signed DH done, credentials travel under k_auth");
                var response = credentials.Register
                    ? await client.RegisterAsync(credentials.Email, credentials.Username!, credentials.Password, cancellationToken).ConfigureAwait(false)
                    : await client.LoginAsync(credentials.Email, credentials.Password, cancellationToken).ConfigureAwait(false);
                if (response.Ok)
                {
                    return await (chat ?? ChatAsync)(client, cancellationToken).ConfigureAwait(false);
                }

                AnsiConsole.MarkupLine($"[red]{Markup.Escape(Display.Safe(response.Message))}[/] ({Markup.Escape(Display.Safe(response.Code))})");
            }
        }

        Console.Error.WriteLine($"securechat: giving up after {Attempts} failed attempts");
        return CliRunner.Failure;
    }

    private static Credentials AskCredentials()
    {
        string choice;
        do
        {
            choice = Ask("register or log in? [l/r]: ").Trim().ToLowerInvariant();
        }
        while (choice is not ("l" or "r" or "login" or "log in" or "register"));

        var register = choice is "r" or "register";
        var email = AskNonEmpty("e-mail: ");
        var username = register ? AskNonEmpty("username: ") : null;
        var password = LineEditor.ReadSecret("password: ") ?? throw Aborted();
        return new Credentials(register, email, username, password);
    }

    private static string AskNonEmpty(string prompt)
    {
        while (true)
        {
            var answer = Ask(prompt).Trim();
            if (answer.Length > 0)
            {
                return answer;
            }
        }
    }

    private static string Ask(string prompt) => LineEditor.ReadPrompt(prompt) ?? throw Aborted();

    private static InputAbortedException Aborted() => new("no credentials given (end of input at the prompt); nothing was sent");

    /// <summary>The line client for a logged-in session.</summary>
    public static async Task<int> ChatAsync(ChatClient client, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine($"[green]logged in[/] as [bold]{Markup.Escape(client.Username ?? "")}[/]; session {client.SessionId}. {Markup.Escape(ChatCommands.Help)}");
        using var force = new CancellationTokenSource();
        using var editor = new LineEditor("> ");
        editor.Interrupts += count =>
        {
            if (count > 1)
            {
                force.Cancel();
            }
        };
        var roster = new Roster();
        var printer = PrintIncomingAsync(client, editor, roster);
        editor.Start();
        await ReadAndSendAsync(client, editor, roster, cancellationToken).ConfigureAwait(false);

        ChatEnded ended;
        try
        {
            ended = client.Completion.IsCompleted
                ? await client.Completion.ConfigureAwait(false)
                : await client.EndAsync(force.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (force.IsCancellationRequested)
        {
            editor.Dispose();
            Console.Error.WriteLine("securechat: interrupted twice: left without receipts");
            return 130;
        }

        editor.Dispose();
        await printer.ConfigureAwait(false);
        if (ended.ReceiptsMatched)
        {
            AnsiConsole.MarkupLine($"[green]receipts exchanged and verified[/]; transcript: {Markup.Escape(client.TranscriptPath ?? "")}");
            return 0;
        }

        AnsiConsole.MarkupLine($"[red]session ended without matching receipts[/]: {Markup.Escape(Display.Safe(ended.Error?.ToString() ?? "unknown"))}");
        return CliRunner.Failure;
    }

    private static async Task ReadAndSendAsync(ChatClient client, LineEditor editor, Roster roster, CancellationToken cancellationToken)
    {
        while (!client.Completion.IsCompleted)
        {
            var readLine = editor.ReadLineAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(readLine, client.Completion).ConfigureAwait(false) != readLine)
            {
                return;
            }

            var line = await readLine.ConfigureAwait(false);
            var (kind, text) = line is null ? (ChatCommands.Kind.Quit, "") : ChatCommands.Parse(line);
            switch (kind)
            {
                case ChatCommands.Kind.Quit:
                    editor.WriteAbove("ending the session: exchanging signed receipts ... (Ctrl-C again leaves without them)");
                    editor.Stop();
                    return;
                case ChatCommands.Kind.Help:
                    editor.WriteAbove(ChatCommands.Help);
                    break;
                case ChatCommands.Kind.Who:
                    editor.WriteAbove(roster.Describe());
                    break;
                case ChatCommands.Kind.Unknown:
                    editor.WriteAbove($"{Display.Safe(text)}: no such command, nothing was sent. {ChatCommands.Help} (start a message with // to send a leading /)");
                    break;
                case ChatCommands.Kind.Message:
                    await SendAsync(client, editor, text, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static async Task SendAsync(ChatClient client, LineEditor editor, string text, CancellationToken cancellationToken)
    {
        try
        {
            if (await client.SendAsync(text, cancellationToken).ConfigureAwait(false))
            {
                editor.WriteAbove(ChatLine(DateTimeOffset.Now, client.Username, text));
            }
        }
        catch (ArgumentException e)
        {
            editor.WriteAbove($"not sent: {CliRunner.Describe(e)} (Up brings the line back to shorten it)");
        }
    }

    /// <summary>A chat line as shown: local time, author, text (made safe for the terminal).</summary>
    internal static string ChatLine(DateTimeOffset when, string? from, string text) =>
        $"{when.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture)} [{Display.Safe(from)}] {Display.Safe(text)}";

    private static async Task PrintIncomingAsync(ChatClient client, LineEditor editor, Roster roster)
    {
        await foreach (var e in client.Events.ReadAllAsync().ConfigureAwait(false))
        {
            switch (e)
            {
                case ChatMessageReceived { Kind: "system" } notice:
                    roster.Apply(notice);
                    var shown = notice.Event == "roster" && notice.Users is not null ? roster.Describe() : Display.Safe(notice.Text);
                    editor.WriteAbove($"{Stamp(notice.SentMs)} * {shown}");
                    break;
                case ChatMessageReceived m:
                    editor.WriteAbove($"{DateTimeOffset.FromUnixTimeMilliseconds(m.SentMs).ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture)} {Display.Author(m)} {Display.Safe(m.Text)}");
                    break;
                case ChatEnded { Error: { } error }:
                    editor.WriteAbove($"session ended: {Display.Safe(error.Message)} ({error.Code})");
                    break;
            }
        }
    }

    private static string Stamp(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
}
