using SecureChat.Client;
using Spectre.Console;

namespace SecureChat.Cli.Interactive;

/// <summary>The last words of an interactive client, the same for the line client and the full-screen one, and the
/// exit code that goes with them.</summary>
internal static class SessionOutcome
{
    /// <summary>The person ended the session: 0 when both receipts were exchanged and verified, else 1.</summary>
    public static int Ended(ChatEnded ended, string? transcript)
    {
        ArgumentNullException.ThrowIfNull(ended);
        if (ended.ReceiptsMatched)
        {
            AnsiConsole.MarkupLine($"[green]receipts exchanged and verified[/]; transcript: {Markup.Escape(transcript ?? "")}");
            return 0;
        }

        AnsiConsole.MarkupLine($"[red]session ended without matching receipts[/]: {Markup.Escape(Reason(ended))}");
        return CliRunner.Failure;
    }

    /// <summary>The person left while the client was reconnecting: the exit code is that of the session that had
    /// ended, 0 when its receipts were exchanged and verified (the server shut down cleanly), else 1.</summary>
    public static int LeftWhileReconnecting(ChatEnded last)
    {
        ArgumentNullException.ThrowIfNull(last);
        AnsiConsole.MarkupLine(last.ReceiptsMatched
            ? "left while reconnecting; the last session ended with [green]receipts exchanged and verified[/]"
            : $"left while reconnecting; the last session ended [red]without matching receipts[/]: {Markup.Escape(Reason(last))}");
        return last.ReceiptsMatched ? 0 : CliRunner.Failure;
    }

    /// <summary>Reconnecting stopped for good (login refused, certificate or handshake failed): one sentence on
    /// standard error, exit code 1.</summary>
    public static async Task<int> StoppedAsync(string reason)
    {
        await Console.Error.WriteLineAsync($"securechat: reconnecting stopped: {Display.Safe(reason)}").ConfigureAwait(false);
        return CliRunner.Failure;
    }

    /// <summary>A second Ctrl-C while the receipts were being exchanged: exit code 130.</summary>
    public static async Task<int> InterruptedAsync()
    {
        await Console.Error.WriteLineAsync("securechat: interrupted twice: left without receipts").ConfigureAwait(false);
        return 130;
    }

    private static string Reason(ChatEnded ended) => Display.Safe(ended.Error?.ToString() ?? "unknown");
}
