using SecureChat.Client;
using SecureChat.Protocol.Session;
using Spectre.Console;

namespace SecureChat.Cli.Interactive;

/// <summary>The line client for logged-in sessions: incoming messages are shown above the prompt, which names the
/// current conversation, and typed lines are sent there or read as commands (<see cref="ChatInput"/>). When the server
/// ends a session without the person asking, it stays, says so and reconnects (<see cref="SessionKeeper"/>); lines
/// typed meanwhile are refused, not queued.</summary>
internal sealed class LineChat
{
    private readonly LineEditor _editor;
    private readonly ConversationState _state;
    private Roster _roster = new();

    private LineChat(LineEditor editor, ConversationState state)
    {
        _editor = editor;
        _state = state;
    }

    /// <summary>Runs sessions in #lobby; see <see cref="ChatAsync(SessionKeeper, ChatStart, CancellationToken)"/>.</summary>
    public static Task<int> ChatAsync(SessionKeeper keeper, CancellationToken cancellationToken) => ChatAsync(keeper, ChatStart.Lobby, cancellationToken);

    /// <summary>Runs sessions, starting as <paramref name="start"/> says, until /quit, Ctrl-D or Ctrl-C (twice forces),
    /// or until reconnecting stops for good; returns the exit code (0 receipts verified, 1 not, 130 left without them).</summary>
    public static async Task<int> ChatAsync(SessionKeeper keeper, ChatStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keeper);
        ArgumentNullException.ThrowIfNull(start);
        var client = keeper.Current;
        AnsiConsole.MarkupLine($"[green]logged in[/] as [bold]{Markup.Escape(client.Username ?? "")}[/]; session {client.SessionId}. {Markup.Escape(ChatCommands.Hint)}");
        using var force = new CancellationTokenSource();
        var state = new ConversationState(client.Username ?? "");
        using var editor = new LineEditor(Prompt(state.Current));
        state.Changed += () => editor.SetPrompt(Prompt(state.Current));
        editor.Interrupts += count =>
        {
            if (count > 1)
            {
                force.Cancel();
            }
        };
        editor.Start();
        var chat = new LineChat(editor, state);
        var startLines = start.Lines();
        while (true)
        {
            chat._roster = new Roster();
            var printer = chat.PrintIncomingAsync(client);

            // The server sends nothing unasked at login (PROTOCOL §9.8.3): every session asks for its rooms.
            await chat.DoAsync(client, ChatAction.Send(new ChatRequest(Conversations.RoomsOp, null)), cancellationToken).ConfigureAwait(false);
            foreach (var line in startLines)
            {
                await chat.DoAsync(client, ChatInput.Interpret(line, state, chat._roster.Describe, connected: true), cancellationToken).ConfigureAwait(false);
            }

            startLines = [];
            if (await chat.ReadAndSendAsync(client, cancellationToken).ConfigureAwait(false))
            {
                return await EndAsync(client, editor, printer, force.Token).ConfigureAwait(false);
            }

            await printer.ConfigureAwait(false);
            var ended = await client.Completion.ConfigureAwait(false);
            ChatClient? next;
            try
            {
                next = await chat.WaitForReconnectAsync(keeper, ended, cancellationToken).ConfigureAwait(false);
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
            state.User = client.Username ?? state.User;
            if (editor.Stopped)
            {
                // The person left just as the new session came up: it ends with receipts like any other.
                editor.WriteAbove("ending the new session: exchanging signed receipts ... (Ctrl-C again leaves without them)");
                return await EndAsync(client, editor, Task.CompletedTask, force.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A chat line as shown: local time, the conversation when it is not the current one
    /// (<paramref name="where"/>, from <see cref="Notices.Where"/>), author, text (made safe for the terminal).</summary>
    internal static string ChatLine(DateTimeOffset when, string? from, string text, string where = "") =>
        $"{Notices.Stamp(when)} {where}[{Display.Safe(from)}] {Display.Safe(text)}";

    /// <summary>A received chat message as shown: local time of its author, the conversation when it is not the
    /// current one, author and proof, <c>(delayed)</c> or <c>(history)</c>, text.</summary>
    internal static string Received(ChatMessageReceived message, string? conversation, string current)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"{Notices.Stamp(DateTimeOffset.FromUnixTimeMilliseconds(message.SentMs))} {Notices.Where(conversation, current)}{Display.Author(message)} {Notices.Mark(message.Mark)}{Display.Safe(message.Text)}";
    }

    /// <summary>The prompt: the current conversation.</summary>
    internal static string Prompt(string conversation) => $"{Display.Safe(conversation)}> ";

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
    private async Task<bool> ReadAndSendAsync(ChatClient client, CancellationToken cancellationToken)
    {
        while (!client.Completion.IsCompleted)
        {
            var typed = _editor.WaitForLineAsync(cancellationToken);
            if (await Task.WhenAny(typed, client.Completion).ConfigureAwait(false) != typed)
            {
                return false;
            }

            if (!await typed.ConfigureAwait(false))
            {
                return true;
            }

            while (_editor.TryReadLine(out var line))
            {
                var action = Interpret(line, connected: true);
                if (await DoAsync(client, action, cancellationToken).ConfigureAwait(false))
                {
                    _editor.WriteAbove("ending the session: exchanging signed receipts ... (Ctrl-C again leaves without them)");
                    _editor.Stop();
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Reconnects while the person can still type: lines are refused, commands answered, and /quit, Ctrl-D
    /// or Ctrl-C stop the waiting at once (the editor is then stopped).</summary>
    private async Task<ChatClient?> WaitForReconnectAsync(SessionKeeper keeper, ChatEnded ended, CancellationToken cancellationToken)
    {
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reconnect = keeper.ReconnectAsync(ended, _editor.WriteAbove, leave.Token);
        while (!reconnect.IsCompleted)
        {
            var typed = _editor.WaitForLineAsync(leave.Token);
            if (await Task.WhenAny(typed, reconnect).ConfigureAwait(false) != typed)
            {
                break;
            }

            while (typed.IsCompletedSuccessfully && typed.Result && _editor.TryReadLine(out var line))
            {
                var action = Interpret(line, connected: false);
                if (action.Quit)
                {
                    _editor.Stop();
                    break;
                }

                Show(action.Local);
            }

            if (_editor.Stopped || !typed.IsCompletedSuccessfully)
            {
                await leave.CancelAsync().ConfigureAwait(false);
                break;
            }
        }

        return await reconnect.ConfigureAwait(false);
    }

    /// <summary>A typed line (null: end of input) as an action.</summary>
    private ChatAction Interpret(string? line, bool connected) =>
        line is null ? new ChatAction(true, [], null) : ChatInput.Interpret(ChatCommands.Parse(line), _state, _roster.Describe, connected);

    /// <summary>Shows the action's lines and sends its request; true when the person wants to leave.</summary>
    private async Task<bool> DoAsync(ChatClient client, ChatAction action, CancellationToken cancellationToken)
    {
        Show(action.Local);
        if (action.Request is { } request)
        {
            await SendAsync(client, request, cancellationToken).ConfigureAwait(false);
        }

        return action.Quit;
    }

    private void Show(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            _editor.WriteAbove(line);
        }
    }

    private async Task SendAsync(ChatClient client, ChatRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (!await request.SendAsync(client, cancellationToken).ConfigureAwait(false))
            {
                _editor.WriteAbove(ChatInput.NotConnected);
            }
            else if (request.IsMessage)
            {
                _editor.WriteAbove(ChatLine(DateTimeOffset.Now, client.Username, request.Text, Notices.Where(request.To, _state.Current)));
            }
        }
        catch (ArgumentException e)
        {
            _editor.WriteAbove($"not sent: {CliRunner.Describe(e)} (Up brings the line back to shorten it)");
        }
    }

    private async Task PrintIncomingAsync(ChatClient client)
    {
        var roster = _roster;
        await foreach (var e in client.Events.ReadAllAsync().ConfigureAwait(false))
        {
            if (e is not ChatMessageReceived m)
            {
                continue;
            }

            var home = _state.Apply(m);
            if (m.Kind == "system")
            {
                roster.Apply(m);
                _editor.WriteAbove($"{Notices.Stamp(DateTimeOffset.FromUnixTimeMilliseconds(m.SentMs))} * {Notices.Describe(m, roster)}");
            }
            else
            {
                _editor.WriteAbove(Received(m, home, _state.Current));
            }
        }
    }
}
