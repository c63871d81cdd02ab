using System.Globalization;
using SecureChat.Client;
using Spectre.Console;

namespace SecureChat.Cli.Interactive;

/// <summary>The line client for logged-in sessions: incoming messages are shown above the prompt and typed lines are
/// sent. When the server ends a session without the person asking, it stays, says so and reconnects
/// (<see cref="SessionKeeper"/>); lines typed meanwhile are refused, not queued.</summary>
internal static class LineChat
{
    /// <summary>What a line typed while there is no session gets.</summary>
    public const string NotConnected = "not sent: not connected, reconnecting (lines are not kept for later; Up brings this one back)";

    /// <summary>Runs sessions until /quit, Ctrl-D or Ctrl-C (twice forces), or until reconnecting stops for good;
    /// returns the exit code (0 receipts verified, 1 not, 130 left without them).</summary>
    public static async Task<int> ChatAsync(SessionKeeper keeper, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keeper);
        var client = keeper.Current;
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
        editor.Start();
        while (true)
        {
            var roster = new Roster();
            var printer = PrintIncomingAsync(client, editor, roster);
            if (await ReadAndSendAsync(client, editor, roster, cancellationToken).ConfigureAwait(false))
            {
                return await EndAsync(client, editor, printer, force.Token).ConfigureAwait(false);
            }

            await printer.ConfigureAwait(false);
            var ended = await client.Completion.ConfigureAwait(false);
            ChatClient? next;
            try
            {
                next = await WaitForReconnectAsync(keeper, ended, editor, cancellationToken).ConfigureAwait(false);
            }
            catch (ReconnectStoppedException e)
            {
                editor.Dispose();
                return await SessionOutcome.StoppedAsync(e.Message).ConfigureAwait(false);
            }

            if (next is null)
            {
                editor.Dispose();
                return SessionOutcome.LeftWhileReconnecting(ended);
            }

            client = next;
            if (editor.Stopped)
            {
                // The person left just as the new session came up: it ends with receipts like any other.
                editor.WriteAbove("ending the new session: exchanging signed receipts ... (Ctrl-C again leaves without them)");
                return await EndAsync(client, editor, Task.CompletedTask, force.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A chat line as shown: local time, author, text (made safe for the terminal).</summary>
    internal static string ChatLine(DateTimeOffset when, string? from, string text) =>
        $"{when.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture)} [{Display.Safe(from)}] {Display.Safe(text)}";

    /// <summary>Ends the session with receipts (unless it already ended) and reports how it went.</summary>
    private static async Task<int> EndAsync(ChatClient client, LineEditor editor, Task printer, CancellationToken force)
    {
        ChatEnded ended;
        try
        {
            ended = client.Completion.IsCompleted
                ? await client.Completion.ConfigureAwait(false)
                : await client.EndAsync(force).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (force.IsCancellationRequested)
        {
            editor.Dispose();
            return await SessionOutcome.InterruptedAsync().ConfigureAwait(false);
        }

        editor.Dispose();
        await printer.ConfigureAwait(false);
        return SessionOutcome.Ended(ended, client.TranscriptPath);
    }

    /// <summary>Reads and sends lines until the person leaves (true) or the session ends by itself (false).</summary>
    private static async Task<bool> ReadAndSendAsync(ChatClient client, LineEditor editor, Roster roster, CancellationToken cancellationToken)
    {
        while (!client.Completion.IsCompleted)
        {
            var typed = editor.WaitForLineAsync(cancellationToken);
            if (await Task.WhenAny(typed, client.Completion).ConfigureAwait(false) != typed)
            {
                return false;
            }

            if (!await typed.ConfigureAwait(false))
            {
                return true;
            }

            while (editor.TryReadLine(out var line))
            {
                var (kind, text) = line is null ? (ChatCommands.Kind.Quit, "") : ChatCommands.Parse(line);
                switch (kind)
                {
                    case ChatCommands.Kind.Quit:
                        editor.WriteAbove("ending the session: exchanging signed receipts ... (Ctrl-C again leaves without them)");
                        editor.Stop();
                        return true;
                    case ChatCommands.Kind.Message:
                        await SendAsync(client, editor, text, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        editor.WriteAbove(Answer(kind, text, roster.Describe()));
                        break;
                }
            }
        }

        return false;
    }

    /// <summary>Reconnects while the person can still type: lines are refused, commands answered, and /quit, Ctrl-D
    /// or Ctrl-C stop the waiting at once (the editor is then stopped).</summary>
    private static async Task<ChatClient?> WaitForReconnectAsync(SessionKeeper keeper, ChatEnded ended, LineEditor editor, CancellationToken cancellationToken)
    {
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reconnect = keeper.ReconnectAsync(ended, editor.WriteAbove, leave.Token);
        while (!reconnect.IsCompleted)
        {
            var typed = editor.WaitForLineAsync(leave.Token);
            if (await Task.WhenAny(typed, reconnect).ConfigureAwait(false) != typed)
            {
                break;
            }

            while (typed.IsCompletedSuccessfully && typed.Result && editor.TryReadLine(out var line))
            {
                var (kind, text) = line is null ? (ChatCommands.Kind.Quit, "") : ChatCommands.Parse(line);
                if (kind == ChatCommands.Kind.Quit)
                {
                    editor.Stop();
                    break;
                }

                editor.WriteAbove(kind == ChatCommands.Kind.Message ? NotConnected : Answer(kind, text, "online: not connected (reconnecting)"));
            }

            if (editor.Stopped || !typed.IsCompletedSuccessfully)
            {
                await leave.CancelAsync().ConfigureAwait(false);
                break;
            }
        }

        return await reconnect.ConfigureAwait(false);
    }

    private static string Answer(ChatCommands.Kind kind, string text, string who) => kind switch
    {
        ChatCommands.Kind.Help => ChatCommands.Help,
        ChatCommands.Kind.Who => who,
        ChatCommands.Kind.Unknown => $"{Display.Safe(text)}: no such command, nothing was sent. {ChatCommands.Help} (start a message with // to send a leading /)",
        _ => "",
    };

    private static async Task SendAsync(ChatClient client, LineEditor editor, string text, CancellationToken cancellationToken)
    {
        try
        {
            if (await client.SendAsync(text, cancellationToken).ConfigureAwait(false))
            {
                editor.WriteAbove(ChatLine(DateTimeOffset.Now, client.Username, text));
            }
            else
            {
                editor.WriteAbove(NotConnected);
            }
        }
        catch (ArgumentException e)
        {
            editor.WriteAbove($"not sent: {CliRunner.Describe(e)} (Up brings the line back to shorten it)");
        }
    }

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
                    editor.WriteAbove($"{Stamp(m.SentMs)} {Display.Author(m)} {Display.Safe(m.Text)}");
                    break;
            }
        }
    }

    private static string Stamp(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
}
