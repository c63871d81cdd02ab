namespace SecureChat.Cli.Interactive;

/// <summary>What a typed line asks for: a chat message, or one of the known <c>/commands</c>, which never leave
/// this machine.</summary>
internal static class ChatCommands
{
    /// <summary>The help text, which lists every known command.</summary>
    public const string Help = "/help  this text    /who  who is online    /quit  end the session with receipts (also Ctrl-D, Ctrl-C)";

    /// <summary>What a line means.</summary>
    public enum Kind
    {
        /// <summary>Nothing (an empty line).</summary>
        Empty,

        /// <summary>A chat message to send.</summary>
        Message,

        /// <summary><c>/help</c>.</summary>
        Help,

        /// <summary><c>/who</c>.</summary>
        Who,

        /// <summary><c>/quit</c>.</summary>
        Quit,

        /// <summary>A <c>/word</c> that is no command: refused, never sent (a leading <c>//</c> sends one slash).</summary>
        Unknown,
    }

    /// <summary>Classifies a line; a message that starts with <c>//</c> is sent with one slash less.</summary>
    public static (Kind Kind, string Text) Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return (Kind.Empty, "");
        }

        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return (Kind.Message, line.TrimStart()[1..]);
        }

        if (!trimmed.StartsWith('/'))
        {
            return (Kind.Message, line);
        }

        return trimmed.ToLowerInvariant() switch
        {
            "/help" or "/?" => (Kind.Help, trimmed),
            "/who" => (Kind.Who, trimmed),
            "/quit" or "/exit" => (Kind.Quit, trimmed),
            _ => (Kind.Unknown, trimmed.Split(' ', 2)[0]),
        };
    }
}
