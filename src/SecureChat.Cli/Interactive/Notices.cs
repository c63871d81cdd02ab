using System.Globalization;
using System.Text.RegularExpressions;
using SecureChat.Client;

namespace SecureChat.Cli.Interactive;

/// <summary>How the interactive clients put things into words: the server's notices as sentences built from their
/// members, and the marks of a message that is not live. Everything the server or a peer chose is made safe for the
/// terminal (<see cref="Display.Safe"/>).</summary>
internal static partial class Notices
{
    /// <summary>A notice as a sentence; <paramref name="roster"/> (already updated with it) describes who is online
    /// in #lobby.</summary>
    public static string Describe(ChatMessageReceived notice, Roster roster)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(roster);
        var to = Display.Safe(notice.To);
        return notice.Event switch
        {
            "roster" when notice.Users is not null => roster.Describe(),
            "rooms" when notice.Rooms is { } rooms => $"your rooms: {List(rooms)}",
            "joined" => $"you are in {to}; members: {List(notice.Users)}",
            "left" => $"you left {to}",
            "who" => $"{to}: members {List(notice.Users)}; online: {(notice.Online is { Count: > 0 } online ? List(online) : "nobody")}",
            "history" when notice.Ref is 0 => $"no earlier messages in {to}",
            "history" => $"history of {to}: {notice.Ref} earlier message{(notice.Ref == 1 ? "" : "s")} (those already shown are not shown again)",
            "join" when notice.To is not null && notice.Users is [var user] => $"{Display.Safe(user)} joined {to}",
            "leave" when notice.To is not null && notice.Users is [var user] => $"{Display.Safe(user)} left {to}",
            "refused" => Refused(notice),
            _ => Display.Safe(notice.Text),
        };
    }

    /// <summary>A refusal: what was not done, its code, and the server's reason without its "message N was not
    /// delivered:" preamble (for example <c>not delivered (NOT_MEMBER): you are not in #ops</c>).</summary>
    public static string Refused(ChatMessageReceived notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var code = Display.Safe(notice.Code ?? "REFUSED");
        var match = Preamble().Match(notice.Text);
        var what = match.Success && match.Groups["what"].Value == "request" ? "not done" : "not delivered";
        var reason = match.Success ? notice.Text[match.Length..] : notice.Text;
        return $"{what} ({code}): {Display.Safe(reason)}";
    }

    /// <summary><c>(delayed)</c> or <c>(history)</c> for a copy that is not live, with a space after it; empty for a live one.</summary>
    public static string Mark(string? mark) => mark is null ? "" : $"({Display.Safe(mark)}) ";

    /// <summary><c>[#ops]</c> or <c>[@bob]</c> with a space after it when <paramref name="conversation"/> is not the
    /// current one; empty when it is.</summary>
    public static string Where(string? conversation, string current) =>
        conversation is null || conversation == current ? "" : $"[{Display.Safe(conversation)}] ";

    /// <summary>Local time of a timestamp in milliseconds, as <c>HH:mm</c>.</summary>
    public static string Stamp(DateTimeOffset when) => when.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string List(IReadOnlyList<string>? names) =>
        names is { Count: > 0 } ? string.Join(", ", names.Select(Display.Safe)) : "nobody";

    [GeneratedRegex(@"^(?<what>message|request) \d+ (was not delivered|was not relayed|refused): ")]
    private static partial Regex Preamble();
}
