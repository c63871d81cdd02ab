using System.Threading.Channels;
using SecureChat.Cli.Interactive;
using SecureChat.Client;
using Spectre.Console;
using Terminal.Gui.App;

namespace SecureChat.Cli.Tui;

/// <summary>Runs a logged-in session on the full-screen chat: client events go to the model on the screen's thread,
/// entered lines are parsed as in the line client and sent in order, and leaving exchanges receipts.</summary>
internal sealed class TuiChat
{
    private readonly ChatClient _client;
    private readonly ChatScreenModel _model;
    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _force = new();
    private readonly Lock _gate = new();
    private IApplication? _app;
    private Task<ChatEnded>? _ending;
    private bool _running;

    private TuiChat(ChatClient client, ChatScreenModel model)
    {
        _client = client;
        _model = model;
    }

    /// <summary>Whether the full-screen chat can run here: standard input and output are a terminal that is not "dumb".</summary>
    public static bool Usable =>
        !Console.IsInputRedirected && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    /// <summary>Runs the session until it ends; the exit codes are the line client's (0 receipts verified, 1 not,
    /// 130 left without them after a second Ctrl-C).</summary>
    public static async Task<int> ChatAsync(ChatClient client, string server, string identityMode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var model = new ChatScreenModel(server, client.Username ?? "", client.SessionId ?? "", identityMode);
        model.AddLocal($"logged in as {client.Username}; session {client.SessionId}.");
        model.AddLocal(ChatCommands.Help);
        model.AddLocal(ChatScreenModel.Legend);
        var chat = new TuiChat(client, model);
        using (chat._force)
        {
            return await chat.RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Task pump, sender;
        using (var app = Application.Create().Init())
        {
            using var screen = new ChatScreen(_model);
            screen.LineEntered += OnLine;
            screen.QuitRequested += Quit;
            app.Paste += (_, e) =>
            {
                e.Handled = true;
                screen.InsertPasted(e.Text);
            };
            _app = app;
            _running = true;
            pump = PumpEventsAsync();
            sender = SendLinesAsync();
            _ = _client.Completion.ContinueWith(_ => Post(ServerEnded), TaskScheduler.Default);
            using var stop = cancellationToken.Register(() => Post(Quit));
            app.Run(screen);
            lock (_gate)
            {
                _running = false;
            }
        }

        _outgoing.Writer.TryComplete();
        ChatEnded ended;
        try
        {
            ended = await (_ending ?? EndAsync()).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_force.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("securechat: interrupted twice: left without receipts").ConfigureAwait(false);
            return 130;
        }

        await Task.WhenAll(pump, sender).ConfigureAwait(false);
        if (ended.ReceiptsMatched)
        {
            AnsiConsole.MarkupLine($"[green]receipts exchanged and verified[/]; transcript: {Markup.Escape(_client.TranscriptPath ?? "")}");
            return 0;
        }

        AnsiConsole.MarkupLine($"[red]session ended without matching receipts[/]: {Markup.Escape(Display.Safe(ended.Error?.ToString() ?? "unknown"))}");
        return CliRunner.Failure;
    }

    private void OnLine(string line)
    {
        var (kind, text) = ChatCommands.Parse(line);
        switch (kind)
        {
            case ChatCommands.Kind.Quit:
                Quit();
                break;
            case ChatCommands.Kind.Help:
                _model.AddLocal(ChatCommands.Help);
                _model.AddLocal(ChatScreenModel.Legend);
                break;
            case ChatCommands.Kind.Who:
                _model.AddLocal(_model.Roster.Describe());
                break;
            case ChatCommands.Kind.Unknown:
                _model.AddLocal($"{text}: no such command, nothing was sent. {ChatCommands.Help} (start a message with // to send a leading /)");
                break;
            case ChatCommands.Kind.Message when _ending is null:
                _outgoing.Writer.TryWrite(text);
                break;
        }
    }

    /// <summary>First time: end with receipts, then close the screen. Second time: leave without them.</summary>
    private void Quit()
    {
        if (_ending is not null)
        {
            _force.Cancel();
            return;
        }

        _model.Ending();
        _ending = EndAsync();
        _ = _ending.ContinueWith(_ => Post(() => _app?.RequestStop()), TaskScheduler.Default);
    }

    /// <summary>The session ended without this side asking (the server stopped, a protocol error): close the screen.</summary>
    private void ServerEnded()
    {
        if (_ending is null)
        {
            _ending = _client.Completion;
            _app?.RequestStop();
        }
    }

    private async Task<ChatEnded> EndAsync()
    {
        _outgoing.Writer.TryComplete();
        return _client.Completion.IsCompleted
            ? await _client.Completion.ConfigureAwait(false)
            : await _client.EndAsync(_force.Token).ConfigureAwait(false);
    }

    private async Task SendLinesAsync()
    {
        await foreach (var text in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (!await _client.SendAsync(text).ConfigureAwait(false))
                {
                    return;
                }

                var sent = DateTimeOffset.Now;
                Post(() => _model.AddOwn(sent, text));
            }
            catch (ArgumentException e)
            {
                Post(() => _model.AddLocal($"not sent: {CliRunner.Describe(e)} (Up brings the line back to shorten it)"));
            }
        }
    }

    private async Task PumpEventsAsync()
    {
        await foreach (var e in _client.Events.ReadAllAsync().ConfigureAwait(false))
        {
            Post(() => _model.Apply(e));
        }
    }

    /// <summary>Runs <paramref name="action"/> on the screen's thread while the screen is up; afterwards drops it.</summary>
    private void Post(Action action)
    {
        lock (_gate)
        {
            if (_running)
            {
                _app!.Invoke(action);
            }
        }
    }
}
