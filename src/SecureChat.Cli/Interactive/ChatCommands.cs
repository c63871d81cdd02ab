using System.Globalization;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Interactive;

/// <summary>A typed line, read: what it asks for, its text (the message, the unknown word, or why it was refused),
/// the room or person it names and a count.</summary>
/// <param name="Kind">What the line asks for.</param>
/// <param name="Text">The message to send; for <see cref="ChatCommands.Kind.Unknown"/> the word typed; for
/// <see cref="ChatCommands.Kind.Invalid"/> why the line is refused.</param>
/// <param name="Target">The room (<c>#ops</c>) or person (<c>@bob</c>) named, or null.</param>
/// <param name="Count">How many past messages (<c>/join</c>, <c>/history</c>).</param>
internal sealed record TypedLine(ChatCommands.Kind Kind, string Text, string? Target = null, int Count = 0);

/// <summary>What a typed line asks for: a chat message to the current conversation, or one of the known
/// <c>/commands</c>. A line starting with <c>/</c> that is no command, or a command with a malformed argument, is
/// refused here and never leaves this machine.</summary>
internal static class ChatCommands
{
    /// <summary>How many past messages <c>/history</c> asks for when no number is given.</summary>
    public const int DefaultHistory = 20;

    /// <summary>Every command, one per line.</summary>
    public static readonly IReadOnlyList<string> Help =
    [
        "/join #room [N]   join a room (and show its last N messages); you then write there",
        "/leave [#room]    leave a room (default: the current one); you are back in #lobby",
        "/rooms            list your rooms",
        "/who [#room]      a room's members and who is online (#lobby: who is online)",
        "/msg @user text   send a direct message (also /msg user text)",
        "/go #room|@user   write to that room or person from now on",
        "/history [N]      the last N messages (default 20) of the current conversation",
        "/help             this list",
        "/quit             end the session with receipts (also Ctrl-D, Ctrl-C)",
        "//text            send a line that starts with /",
    ];

    /// <summary>One line said after logging in.</summary>
    public const string Hint = "plain lines go to the current conversation; /help lists the commands; /quit, Ctrl-D or Ctrl-C end the session with receipts";

    /// <summary>What a line means.</summary>
    public enum Kind
    {
        /// <summary>Nothing (an empty line).</summary>
        Empty,

        /// <summary>A chat message to the current conversation.</summary>
        Message,

        /// <summary><c>/help</c>.</summary>
        Help,

        /// <summary><c>/who [#room]</c>.</summary>
        Who,

        /// <summary><c>/quit</c>.</summary>
        Quit,

        /// <summary><c>/join #room [N]</c>.</summary>
        Join,

        /// <summary><c>/leave [#room]</c>.</summary>
        Leave,

        /// <summary><c>/rooms</c>.</summary>
        Rooms,

        /// <summary><c>/msg @user text</c>: a direct message.</summary>
        Msg,

        /// <summary><c>/history [N]</c>.</summary>
        History,

        /// <summary><c>/go #room</c> or <c>/go @user</c>: switch the current conversation.</summary>
        Go,

        /// <summary>A <c>/word</c> that is no command: refused, never sent (a leading <c>//</c> sends one slash).</summary>
        Unknown,

        /// <summary>A known command with a missing or malformed argument: refused, never sent.</summary>
        Invalid,
    }

    /// <summary>Reads a line; a message that starts with <c>//</c> is sent with one slash less.</summary>
    public static TypedLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return new TypedLine(Kind.Empty, "");
        }

        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return new TypedLine(Kind.Message, line.TrimStart()[1..]);
        }

        if (!trimmed.StartsWith('/'))
        {
            return new TypedLine(Kind.Message, line);
        }

        var word = trimmed.Split(' ', 2)[0];
        var rest = trimmed[word.Length..].TrimStart();
        var args = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return word.ToLowerInvariant() switch
        {
            "/help" or "/?" => new TypedLine(Kind.Help, word),
            "/quit" or "/exit" => NoArguments(Kind.Quit, word, args),
            "/rooms" => NoArguments(Kind.Rooms, word, args),
            "/join" => Join(args),
            "/leave" => Leave(args),
            "/who" => Who(args),
            "/msg" => Msg(rest),
            "/history" => History(args),
            "/go" => Go(args),
            _ => new TypedLine(Kind.Unknown, word),
        };
    }

    private static TypedLine NoArguments(Kind kind, string word, string[] args) =>
        args.Length == 0 ? new TypedLine(kind, word) : Invalid($"{word.ToLowerInvariant()} takes nothing after it");

    private static TypedLine Join(string[] args)
    {
        if (args.Length is 0 or > 2)
        {
            return Invalid("/join takes a room and optionally a number of past messages: /join #ops, /join #ops 20");
        }

        if (!Conversations.IsRoom(args[0]))
        {
            return Invalid(NotARoom("/join", args[0]));
        }

        if (args.Length == 1)
        {
            return new TypedLine(Kind.Join, "", args[0]);
        }

        return Count(args[1], 0) is { } count ? new TypedLine(Kind.Join, "", args[0], count) : Invalid(BadCount(args[1], 0));
    }

    private static TypedLine Leave(string[] args) => args switch
    {
        [] => new TypedLine(Kind.Leave, ""),
        [Conversations.DefaultRoom] => Invalid($"everyone stays in {Conversations.DefaultRoom}; /leave #room leaves another room"),
        [var room] when Conversations.IsRoom(room) => new TypedLine(Kind.Leave, "", room),
        [var room] => Invalid(NotARoom("/leave", room)),
        _ => Invalid("/leave takes at most one room: /leave #ops"),
    };

    private static TypedLine Who(string[] args) => args switch
    {
        [] => new TypedLine(Kind.Who, ""),
        [var room] when Conversations.IsRoom(room) => new TypedLine(Kind.Who, "", room),
        [var room] => Invalid(NotARoom("/who", room)),
        _ => Invalid("/who takes at most one room: /who #ops"),
    };

    private static TypedLine Msg(string rest)
    {
        var parts = rest.Split(' ', 2);
        var person = parts[0].StartsWith('@') ? parts[0] : "@" + parts[0];
        if (parts[0].Length == 0)
        {
            return Invalid("/msg needs a user and a text: /msg @bob hello");
        }

        if (!Conversations.IsPerson(person))
        {
            return Invalid($"/msg: '{Display.Safe(parts[0])}' is not a username (3-32 of A-Z, a-z, 0-9, _, . and -); to write in a room, /go #room");
        }

        var text = parts.Length > 1 ? parts[1].TrimStart() : "";
        return text.Length == 0 ? Invalid($"/msg {person} needs a text: /msg {person} hello") : new TypedLine(Kind.Msg, text, person);
    }

    private static TypedLine History(string[] args) => args switch
    {
        [] => new TypedLine(Kind.History, "", Count: DefaultHistory),
        [var n] when Count(n, 1) is { } count => new TypedLine(Kind.History, "", Count: count),
        [var n] => Invalid(BadCount(n, 1)),
        _ => Invalid("/history takes at most one number: /history 50"),
    };

    private static TypedLine Go(string[] args) => args switch
    {
        [var to] when Conversations.IsRoom(to) || Conversations.IsPerson(to) => new TypedLine(Kind.Go, "", to),
        [var to] => Invalid($"/go: '{Display.Safe(to)}' is neither a room (#ops) nor a person (@bob)"),
        _ => Invalid("/go needs one room or person: /go #ops, /go @bob"),
    };

    private static int? Count(string text, int least) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= least && n <= Conversations.MaxHistory ? n : null;

    private static string BadCount(string text, int least) =>
        $"'{Display.Safe(text)}' is not a number of past messages from {least} to {Conversations.MaxHistory}";

    private static string NotARoom(string command, string text) =>
        $"{command}: '{Display.Safe(text)}' is not a room name: # then 1-32 of a-z, 0-9, _ and - (for example #ops)";

    private static TypedLine Invalid(string why) => new(Kind.Invalid, why);
}
