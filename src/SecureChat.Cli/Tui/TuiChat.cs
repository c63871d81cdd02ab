using System.Threading.Channels;
using SecureChat.Cli.Interactive;
using SecureChat.Client;
using SecureChat.Protocol.Session;
using Terminal.Gui.App;

namespace SecureChat.Cli.Tui;

/// <summary>Runs logged-in sessions on the full-screen chat: client events go to the model on the screen's thread,
/// entered lines are read as in the line client (<see cref="ChatInput"/>) and sent in order, and leaving exchanges receipts. When the server
/// ends a session without the person asking, the screen stays open, says so and reconnects (<see cref="SessionKeeper"/>);
/// lines entered meanwhile are refused, not queued.</summary>
/// <remarks>Every field but the channel, the task lists and <see cref="_stopped"/> is read and written on the screen's
/// thread only (<see cref="Post"/>), until the screen has closed.</remarks>
internal sealed class TuiChat
{
    private readonly SessionKeeper _keeper;
    private readonly ChatScreenModel _model;
    private readonly Channel<(ChatClient Client, ChatRequest Request)> _outgoing =
        Channel.CreateUnbounded<(ChatClient, ChatRequest)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _force = new();
    private readonly CancellationTokenSource _leave = new();
    private readonly List<Task> _pumps = [];
    private readonly Lock _gate = new();
    /// <summary>How to move between conversations on this screen.</summary>
    private const string ScreenHint = "Tab: the conversation list (Up/Down pick one, Enter returns here); PageUp/PageDown scroll";

    private IApplication? _app;
    private ChatClient? _live;
    private ChatEnded _lastEnded = new(false, null);
    private Task<ChatClient?>? _reconnecting;
    private Task<ChatEnded>? _ending;
    private ChatClient? _endingClient;
    private volatile string? _stopped;
    private bool _leaving;
    private bool _running;

    private readonly ChatStart _start;

    private TuiChat(SessionKeeper keeper, ChatScreenModel model, ChatStart start)
    {
        _keeper = keeper;
        _model = model;
        _start = start;
    }

    /// <summary>Whether the full-screen chat can run here: standard input and output are a terminal that is not "dumb".</summary>
    public static bool Usable =>
        !Console.IsInputRedirected && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    /// <summary>Runs sessions, starting as <paramref name="start"/> says, until the person leaves or reconnecting
    /// stops for good; the exit codes are the line client's (0 receipts verified, 1 not, 130 left without them after a
    /// second Ctrl-C).</summary>
    public static async Task<int> ChatAsync(SessionKeeper keeper, string server, string identityMode, ChatStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keeper);
        ArgumentNullException.ThrowIfNull(start);
        var client = keeper.Current;
        var model = new ChatScreenModel(server, client.Username ?? "", client.SessionId ?? "", identityMode);
        var chat = new TuiChat(keeper, model, start);
        using (chat._force)
        using (chat._leave)
        {
            return await chat.RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Task sender;
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
            Attach(_keeper.Current);
            foreach (var line in _start.Lines())
            {
                Do(ChatInput.Interpret(line, _model.State, _model.Roster.Describe, connected: true));
            }

            // Said where the person starts (a --room or --to conversation, else #lobby).
            var first = _keeper.Current;
            _model.AddLocal($"logged in as {first.Username}; session {first.SessionId}.");
            _model.AddLocal(ChatCommands.Hint);
            _model.AddLocal(ScreenHint);
            _model.AddLocal(ChatScreenModel.Legend);

            sender = SendLinesAsync();
            using var stop = cancellationToken.Register(() => Post(Quit));
            app.Run(screen);
            lock (_gate)
            {
                _running = false;
            }
        }

        _outgoing.Writer.TryComplete();
        await _leave.CancelAsync().ConfigureAwait(false);
        if (_ending is null && _reconnecting is not null && await _reconnecting.ConfigureAwait(false) is { } late)
        {
            // The person left just as a new session came up: it ends with receipts like any other.
            _endingClient = late;
            _ending = EndAsync(late);
        }

        if (_ending is null)
        {
            await sender.ConfigureAwait(false);
            return _stopped is { } reason
                ? await SessionOutcome.StoppedAsync(reason).ConfigureAwait(false)
                : SessionOutcome.LeftWhileReconnecting(_lastEnded);
        }

        ChatEnded ended;
        try
        {
            ended = await _ending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_force.IsCancellationRequested)
        {
            return await SessionOutcome.InterruptedAsync().ConfigureAwait(false);
        }

        await sender.ConfigureAwait(false);
        await Task.WhenAll(Pumps()).ConfigureAwait(false);
        return SessionOutcome.Ended(ended, _endingClient?.TranscriptPath);
    }

    private void OnLine(string line)
    {
        var typed = ChatCommands.Parse(line);
        if (typed.Kind == ChatCommands.Kind.Quit)
        {
            Quit();
        }
        else if (!_leaving)
        {
            Do(ChatInput.Interpret(typed, _model.State, _model.Roster.Describe, connected: _live is not null));
            if (typed.Kind == ChatCommands.Kind.Help)
            {
                _model.AddLocal(ScreenHint);
                _model.AddLocal(ChatScreenModel.Legend);
            }
        }
    }

    /// <summary>Shows the action's lines and queues its request for the current session.</summary>
    private void Do(ChatAction action)
    {
        if (action.Quit)
        {
            Quit();
            return;
        }

        foreach (var text in action.Local)
        {
            _model.AddLocal(text);
        }

        if (action.Request is { } request)
        {
            if (_live is { } live)
            {
                _outgoing.Writer.TryWrite((live, request));
            }
            else
            {
                _model.AddLocal(ChatInput.NotConnected);
            }
        }
    }

    /// <summary>First time: end the session with receipts, then close the screen; while reconnecting, close it at
    /// once. Second time: leave without receipts.</summary>
    private void Quit()
    {
        if (_ending is not null)
        {
            _force.Cancel();
            return;
        }

        if (_leaving)
        {
            return;
        }

        _leaving = true;
        if (_live is { } live)
        {
            _model.Ending();
            _endingClient = live;
            _ending = EndAsync(live);
            _ = _ending.ContinueWith(_ => Post(() => _app?.RequestStop()), TaskScheduler.Default);
        }
        else
        {
            _leave.Cancel();
            _app?.RequestStop();
        }
    }

    /// <summary>Shows <paramref name="client"/>'s events and, when they end, what comes next.</summary>
    private void Attach(ChatClient client)
    {
        _live = client;
        lock (_pumps)
        {
            _pumps.Add(PumpEventsAsync(client));
        }

        // The server sends nothing unasked at login (PROTOCOL §9.8.3): every session asks for its rooms.
        _outgoing.Writer.TryWrite((client, new ChatRequest(Conversations.RoomsOp, null)));
    }

    /// <summary>A session ended. Unless the person is leaving, it ended without being asked to: reconnect.</summary>
    private void SessionEnded(ChatClient client, ChatEnded ended)
    {
        if (_leaving || !ReferenceEquals(client, _live))
        {
            return;
        }

        _live = null;
        _lastEnded = ended;
        _model.Disconnected();
        _reconnecting = ReconnectAsync(ended);
    }

    private async Task<ChatClient?> ReconnectAsync(ChatEnded ended)
    {
        try
        {
            var next = await _keeper.ReconnectAsync(ended, text => Post(() => _model.AddLocal(text)), _leave.Token).ConfigureAwait(false);
            if (next is not null)
            {
                Post(() => Reconnected(next));
            }

            return next;
        }
        catch (ReconnectStoppedException e)
        {
            _stopped = e.Message;
            Post(() =>
            {
                _model.AddLocal($"reconnecting stopped: {e.Message}");
                _app?.RequestStop();
            });
            return null;
        }
    }

    private void Reconnected(ChatClient next)
    {
        if (_leaving)
        {
            // Ended with receipts once the screen has closed.
            return;
        }

        _model.Reconnected(next.Username ?? "", next.SessionId ?? "");
        Attach(next);
    }

    private async Task<ChatEnded> EndAsync(ChatClient client)
    {
        _outgoing.Writer.TryComplete();
        return client.Completion.IsCompleted
            ? await client.Completion.ConfigureAwait(false)
            : await client.EndAsync(_force.Token).ConfigureAwait(false);
    }

    private async Task SendLinesAsync()
    {
        await foreach (var (client, request) in _outgoing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (!await request.SendAsync(client).ConfigureAwait(false))
                {
                    Post(() => _model.AddLocal(ChatInput.NotConnected));
                    continue;
                }

                var sent = DateTimeOffset.Now;
                if (request.IsMessage)
                {
                    Post(() => _model.AddOwn(sent, request.Text, request.To));
                }
            }
            catch (ArgumentException e)
            {
                Post(() => _model.AddLocal($"not sent: {CliRunner.Describe(e)} (Up brings the line back to shorten it)"));
            }
        }
    }

    private async Task PumpEventsAsync(ChatClient client)
    {
        var ended = new ChatEnded(false, null);
        await foreach (var e in client.Events.ReadAllAsync().ConfigureAwait(false))
        {
            ended = e as ChatEnded ?? ended;
            Post(() => _model.Apply(e));
        }

        Post(() => SessionEnded(client, ended));
    }

    private Task[] Pumps()
    {
        lock (_pumps)
        {
            return [.. _pumps];
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
