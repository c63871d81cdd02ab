using SecureChat.Client;
using Spectre.Console;

namespace SecureChat.Cli.Interactive;

/// <summary>The interactive client: register or log in, then chat with incoming messages shown above the prompt.</summary>
internal static class InteractiveChat
{
    private const string Help = "/help  this text    /who  who is online    /quit  end the session with receipts";

    /// <summary>Runs until /quit, Ctrl-C or the server ends the session.</summary>
    public static async Task<int> RunAsync(string host, int port, ChatClientOptions options, CancellationToken cancellationToken)
    {
        var client = await ChatClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            AnsiConsole.MarkupLine($"[green]connected[/] to {host}:{port}: server certificate verified, signed DH done, credentials will travel under k_auth");
            if (!await AuthenticateAsync(client, cancellationToken).ConfigureAwait(false))
            {
                return CliRunner.Failure;
            }

            AnsiConsole.MarkupLine($"[green]logged in[/] as [bold]{Markup.Escape(client.Username ?? "")}[/]; session {client.SessionId}. {Markup.Escape(Help)}");
            using var editor = new LineEditor("> ");
            var roster = new SortedSet<string>(StringComparer.Ordinal);
            var printer = PrintIncomingAsync(client, editor, roster);
            editor.Start();
            while (!client.Completion.IsCompleted)
            {
                var readLine = editor.ReadLineAsync(cancellationToken).AsTask();
                var done = await Task.WhenAny(readLine, client.Completion).ConfigureAwait(false);
                if (done != readLine)
                {
                    break;
                }

                var line = await readLine.ConfigureAwait(false);
                if (line is null || line.Trim() == "/quit")
                {
                    editor.WriteAbove("ending the session: exchanging signed receipts ...");
                    break;
                }

                switch (line.Trim())
                {
                    case "":
                        break;
                    case "/help":
                        editor.WriteAbove(Help);
                        break;
                    case "/who":
                        editor.WriteAbove($"online: {string.Join(", ", roster)}");
                        break;
                    default:
                        await client.SendAsync(line, cancellationToken).ConfigureAwait(false);
                        editor.WriteAbove($"[{client.Username}] {line}");
                        break;
                }
            }

            var ended = client.Completion.IsCompleted
                ? await client.Completion.ConfigureAwait(false)
                : await client.EndAsync(cancellationToken).ConfigureAwait(false);
            editor.Dispose();
            await printer.ConfigureAwait(false);
            Console.WriteLine();
            if (ended.ReceiptsMatched)
            {
                AnsiConsole.MarkupLine($"[green]receipts exchanged and verified[/]; transcript: {Markup.Escape(client.TranscriptPath ?? "")}");
                return 0;
            }

            AnsiConsole.MarkupLine($"[red]session ended without matching receipts[/]: {Markup.Escape(Display.Safe(ended.Error?.ToString() ?? "unknown"))}");
            return CliRunner.Failure;
        }
    }

    private static async Task<bool> AuthenticateAsync(ChatClient client, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var register = AnsiConsole.Prompt(new SelectionPrompt<string>().Title("Register or log in?").AddChoices("log in", "register")) == "register";
            var email = AnsiConsole.Ask<string>("e-mail:");
            var username = register ? AnsiConsole.Ask<string>("username:") : null;
            var password = LineEditor.ReadSecret("password: ");
            var response = register
                ? await client.RegisterAsync(email, username!, password, cancellationToken).ConfigureAwait(false)
                : await client.LoginAsync(email, password, cancellationToken).ConfigureAwait(false);
            if (response.Ok)
            {
                return true;
            }

            AnsiConsole.MarkupLine($"[red]{Markup.Escape(Display.Safe(response.Message))}[/] ({response.Code})");
        }

        return false;
    }

    private static async Task PrintIncomingAsync(ChatClient client, LineEditor editor, SortedSet<string> roster)
    {
        await foreach (var e in client.Events.ReadAllAsync().ConfigureAwait(false))
        {
            switch (e)
            {
                case ChatMessageReceived { Kind: "system" } notice:
                    UpdateRoster(roster, notice);
                    editor.WriteAbove($"* {Display.Safe(notice.Text)}");
                    break;
                case ChatMessageReceived m:
                    editor.WriteAbove($"{Display.Author(m)} {Display.Safe(m.Text)}");
                    break;
                case ChatEnded { Error: { } error }:
                    editor.WriteAbove($"session ended: {Display.Safe(error.Message)} ({error.Code})");
                    break;
            }
        }
    }

    private static void UpdateRoster(SortedSet<string> roster, ChatMessageReceived notice)
    {
        switch (notice.Event)
        {
            case "roster" when notice.Users is not null:
                roster.Clear();
                roster.UnionWith(notice.Users);
                break;
            case "join" when notice.Users is [var joined]:
                roster.Add(joined);
                break;
            case "leave" when notice.Users is [var left]:
                roster.Remove(left);
                break;
        }
    }
}
