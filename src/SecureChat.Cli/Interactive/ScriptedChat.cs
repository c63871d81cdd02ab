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
        int Receive, TimeSpan Timeout, bool Json);

    /// <summary>Runs the script; exit code 0 only when the session ended with matching receipts.</summary>
    public static async Task<int> RunAsync(string host, int port, ChatClientOptions options, Request request, CancellationToken cancellationToken)
    {
        var password = request.PasswordFromStdin
            ? await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new ArgumentException("No password on standard input.")
            : Environment.GetEnvironmentVariable("SECURECHAT_PASSWORD")
              ?? throw new ArgumentException("Give the password with --password-stdin (or SECURECHAT_PASSWORD).");
        var messages = request.Messages.Length > 0 || !Console.IsInputRedirected
            ? request.Messages.ToList()
            : await ReadRemainingLinesAsync(cancellationToken).ConfigureAwait(false);

        var client = await ChatClient.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var response = request.Register
                ? await client.RegisterAsync(request.Email, request.Username ?? throw new ArgumentException("--username is required with --register."), password, cancellationToken).ConfigureAwait(false)
                : await client.LoginAsync(request.Email, password, cancellationToken).ConfigureAwait(false);
            if (!response.Ok)
            {
                Fail(request.Json, new { @event = "auth_failed", code = response.Code, message = response.Message },
                    $"{(request.Register ? "registration" : "login")} failed: {Display.Safe(response.Message?.TrimEnd('.'))} ({Display.Safe(response.Code)})");
                return CliRunner.Failure;
            }

            Report(request.Json, new { @event = "session", username = response.Username, session_id = client.SessionId, transcript = client.TranscriptPath },
                $"logged in as {response.Username}; session {client.SessionId}");
            foreach (var text in messages)
            {
                await client.SendAsync(text, cancellationToken).ConfigureAwait(false);
            }

            var ended = await ReceiveAsync(client, request, cancellationToken).ConfigureAwait(false)
                ?? await client.EndAsync(cancellationToken).ConfigureAwait(false);
            await DrainAsync(client, request.Json).ConfigureAwait(false);
            var end = new { @event = "end", receipts_matched = ended.ReceiptsMatched, error = ended.Error?.Code.ToWire(), reason = ended.Error?.Message, transcript = client.TranscriptPath };
            if (!ended.ReceiptsMatched)
            {
                Fail(request.Json, end, ended.Error is { } error
                    ? $"the session ended without matching receipts: {Display.Safe(error.Message)} ({error.Code.ToWire()})"
                    : "the session ended without matching receipts");
                return CliRunner.Failure;
            }

            Report(request.Json, end, $"session ended: receipts exchanged and verified (transcript {client.TranscriptPath})");
            return 0;
        }
    }

    /// <summary>Waits for the requested number of chat messages; returns the end if the server ended first.</summary>
    private static async Task<ChatEnded?> ReceiveAsync(ChatClient client, Request request, CancellationToken cancellationToken)
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
                    return ended;
                }

                if (e is ChatMessageReceived m)
                {
                    Print(m, request.Json);
                    received += m.Kind == "chat" ? 1 : 0;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"securechat: received {received} of {request.Receive} messages before the timeout");
        }

        return null;
    }

    private static async Task DrainAsync(ChatClient client, bool json)
    {
        while (client.Events.TryRead(out var e))
        {
            if (e is ChatMessageReceived m)
            {
                Print(m, json);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static void Print(ChatMessageReceived m, bool json) =>
        Report(json, new
        {
            @event = "message",
            seqno = m.Seqno,
            from = m.From,
            text = m.Text,
            kind = m.Kind,
            ts = m.SentMs,
            proof = m.Proof switch { ProofLevel.Author => "author", ProofLevel.Server => "server", _ => null },
            author = m.AuthorEmail,
            code = m.Code,
            @ref = m.Ref,
        },
            m.Kind == "system" ? $"* {Display.Safe(m.Text)}" : $"{Display.Author(m)} {Display.Safe(m.Text)}");

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
