using System.Text.Json;
using SecureChat.Client;
using SecureChat.Protocol;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Interactive;

/// <summary>The non-interactive client: authenticate, send, optionally wait for messages, end with receipts.</summary>
internal static class ScriptedChat
{
    /// <summary>What to do.</summary>
    public sealed record Request(bool Register, string Email, string? Username, bool PasswordFromStdin, string[] Messages,
        int Receive, TimeSpan Timeout, bool Json)
    {
        /// <summary>Where sent lines go: a room, a person (<c>@user</c>), or <c>#lobby</c>.</summary>
        public string Conversation { get; init; } = Conversations.DefaultRoom;

        /// <summary>Join <see cref="Conversation"/> (a room) first.</summary>
        public bool JoinRoom { get; init; }

        /// <summary>First ask for this many past messages of <see cref="Conversation"/>.</summary>
        public int History { get; init; }
    }

    /// <summary>The conversation of <c>--room</c> or <c>--to</c>: a room name, or <c>@user</c> (a leading <c>@</c> is optional).</summary>
    /// <exception cref="ArgumentException">Both given, or a name that is neither a room nor a username.</exception>
    public static string Destination(string? room, string? to)
    {
        if (room is not null && to is not null)
        {
            throw new ArgumentException("--room and --to exclude each other: give one.");
        }

        if (room is not null)
        {
            return Conversations.IsRoom(room) ? room
                : throw new ArgumentException($"--room '{room}' is not a room name: # followed by 1-32 of a-z, 0-9, _ and - (for example #ops).");
        }

        if (to is not null)
        {
            var person = to.StartsWith('@') ? to : "@" + to;
            return Conversations.IsPerson(person) ? person
                : throw new ArgumentException($"--to '{to}' is not a username (3-32 of A-Z, a-z, 0-9, _, . and -).");
        }

        return Conversations.DefaultRoom;
    }

    /// <summary>Runs the script; exit code 0 only when the session ended with matching receipts, every line was sent
    /// and every message asked for with <c>--receive</c> arrived.</summary>
    public static async Task<int> RunAsync(ServerList servers, ChatClientOptions options, Request request, CancellationToken cancellationToken)
    {
        if (request.Register && string.IsNullOrEmpty(request.Username))
        {
            throw new ArgumentException("--username is required with --register.");
        }

        if (request.History is < 0 or > Conversations.MaxHistory)
        {
            throw new ArgumentException($"--history must be between 0 and {Conversations.MaxHistory}.");
        }

        // Everything a person types is read before connecting: the server's handshake timer never counts it.
        var password = await ReadPasswordAsync(request.PasswordFromStdin, cancellationToken).ConfigureAwait(false);
        var messages = request.Messages.Length > 0 || !Console.IsInputRedirected
            ? request.Messages.ToList()
            : await ReadRemainingLinesAsync(cancellationToken).ConfigureAwait(false);

        var client = await servers.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var response = request.Register
                ? await client.RegisterAsync(request.Email, request.Username!, password, cancellationToken).ConfigureAwait(false)
                : await client.LoginAsync(request.Email, password, cancellationToken).ConfigureAwait(false);
            if (!response.Ok)
            {
                Fail(request.Json, new { @event = "auth_failed", code = response.Code, message = response.Message },
                    $"{(request.Register ? "registration" : "login")} failed: {Display.Safe(response.Message?.TrimEnd('.'))} ({Display.Safe(response.Code)})");
                return CliRunner.Failure;
            }

            Report(request.Json, new { @event = "session", username = response.Username, session_id = client.SessionId, transcript = client.TranscriptPath },
                $"logged in as {response.Username}; session {client.SessionId}");
            if (request.JoinRoom)
            {
                await client.JoinAsync(request.Conversation, request.History, cancellationToken).ConfigureAwait(false);
            }
            else if (request.History > 0)
            {
                await client.RequestHistoryAsync(request.Conversation, request.History, cancellationToken).ConfigureAwait(false);
            }

            var refused = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                if (await SendAsync(client, messages[i], i + 1, request, cancellationToken).ConfigureAwait(false) is not { } sent)
                {
                    break;
                }

                refused += sent ? 0 : 1;
            }

            var tally = new Tally();
            var (ended, shortfall) = client.Completion.IsCompleted
                ? (await client.Completion.ConfigureAwait(false), null)
                : await ReceiveAsync(client, request, tally, cancellationToken).ConfigureAwait(false);
            ended ??= await client.EndAsync(cancellationToken).ConfigureAwait(false);
            Drain(client, request.Json, tally);
            return Finish(client, request, ended, shortfall, refused + tally.Refused);
        }
    }

    private static int Finish(ChatClient client, Request request, ChatEnded ended, string? shortfall, int refused)
    {
        var code = ended.Error?.Code.ToWire() ?? (shortfall is null ? null : ProtocolErrorCode.Timeout.ToWire());
        var reason = ended.Error?.Message ?? shortfall;
        var end = new { @event = "end", receipts_matched = ended.ReceiptsMatched, error = code, reason, refused_lines = refused, transcript = client.TranscriptPath };
        if (!ended.ReceiptsMatched)
        {
            Fail(request.Json, end, ended.Error is { } error
                ? $"the session ended without matching receipts: {Display.Safe(error.Message)} ({error.Code.ToWire()})"
                : "the session ended without matching receipts");
            return CliRunner.Failure;
        }

        if (shortfall is not null || refused > 0)
        {
            var what = shortfall ?? $"{refused} line(s) or request(s) were refused and not delivered";
            Fail(request.Json, end, $"receipts exchanged and verified, but {what} (transcript {client.TranscriptPath})");
            return CliRunner.Failure;
        }

        Report(request.Json, end, $"session ended: receipts exchanged and verified (transcript {client.TranscriptPath})");
        return 0;
    }

    /// <summary>Sends one line: true if sent, false if refused (too long; reported, the session goes on), null if the
    /// session has already ended.</summary>
    private static async Task<bool?> SendAsync(ChatClient client, string text, int number, Request request, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(text, request.Conversation, cancellationToken).ConfigureAwait(false) ? true : null;
        }
        catch (ArgumentException e)
        {
            var reason = CliRunner.Describe(e) ?? e.Message;
            if (request.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { @event = "refused", line = number, reason }));
            }

            Console.Error.WriteLine($"securechat: message {number} not sent: {reason}");
            return false;
        }
    }

    /// <summary>The password from the first line of standard input, <c>SECURECHAT_PASSWORD</c>, or a prompt on the terminal.</summary>
    private static async Task<string> ReadPasswordAsync(bool fromStdin, CancellationToken cancellationToken)
    {
        if (fromStdin)
        {
            return await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new ArgumentException("No password on standard input.");
        }

        if (Environment.GetEnvironmentVariable("SECURECHAT_PASSWORD") is { } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (Console.IsInputRedirected)
        {
            throw new ArgumentException("Give the password with --password-stdin (or SECURECHAT_PASSWORD).");
        }

        return LineEditor.ReadSecret("password: ") ?? throw new InputAbortedException("no password given (end of input at the prompt); nothing was sent");
    }

    /// <summary>Waits for the requested number of chat messages; returns the end if the server ended first, and what
    /// was missing when the time ran out.</summary>
    private static async Task<(ChatEnded? Ended, string? Shortfall)> ReceiveAsync(ChatClient client, Request request, Tally tally, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        var received = 0;
        try
        {
            while (received < request.Receive)
            {
                var e = await client.Events.ReadAsync(deadline.Token).ConfigureAwait(false);
                if (e is ChatEnded ended)
                {
                    return (ended, null);
                }

                if (e is ChatMessageReceived m)
                {
                    Print(m, request.Json, tally);
                    received += m.Kind == "chat" ? 1 : 0;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"received {received} of {request.Receive} messages before the timeout ({request.Timeout.TotalSeconds:0} s)");
        }

        return (null, null);
    }

    private static void Drain(ChatClient client, bool json, Tally tally)
    {
        while (client.Events.TryRead(out var e))
        {
            if (e is ChatMessageReceived m)
            {
                Print(m, json, tally);
            }
        }
    }

    private static void Print(ChatMessageReceived m, bool json, Tally tally)
    {
        // A refused notice names one of this script's own messages or requests that the server did not deliver.
        tally.Refused += m.Event == "refused" ? 1 : 0;
        var mark = m.Mark is null ? "" : $"({m.Mark}) ";
        var where = m.To is null or Conversations.DefaultRoom ? "" : $"[{m.To}] ";
        Report(json, new
        {
            @event = "message",
            seqno = m.Seqno,
            from = m.From,
            to = m.To,
            text = m.Text,
            kind = m.Kind,
            ts = m.SentMs,
            proof = m.Proof switch { ProofLevel.Author => "author", ProofLevel.Server => "server", _ => null },
            author = m.AuthorEmail,
            delayed = m.Mark == Conversations.DelayedMark,
            history = m.Mark == Conversations.HistoryMark,
            code = m.Code,
            @ref = m.Ref,
            users = m.Users,
            rooms = m.Rooms,
            online = m.Online,
            notice = m.Event,
        },
            m.Kind == "system" ? $"* {Display.Safe(m.Text)}" : $"{where}{mark}{Display.Author(m)} {Display.Safe(m.Text)}");
    }

    /// <summary>What the server refused during the script.</summary>
    private sealed class Tally
    {
        public int Refused { get; set; }
    }

    private static void Report(bool json, object value, string text) =>
        Console.WriteLine(json ? JsonSerializer.Serialize(value) : text);

    /// <summary>A failure is one sentence on standard error, like every other failure of the command; with
    /// <c>--json</c> the event is also printed, so a pipeline reading standard output sees how the script ended.</summary>
    private static void Fail(bool json, object value, string sentence)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(value));
        }

        Console.Error.WriteLine($"securechat: {sentence}");
    }

    private static async Task<List<string>> ReadRemainingLinesAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
