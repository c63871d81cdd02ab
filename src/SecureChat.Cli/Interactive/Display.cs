using System.Text;
using SecureChat.Client;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Interactive;

/// <summary>Makes peer-controlled text safe to print on a terminal.</summary>
/// <remarks>Another user's message could carry escape sequences that clear lines, move the cursor or fake a
/// server notice, or bidirectional overrides that reorder what is shown; each such character is shown as '?'.</remarks>
internal static class Display
{
    /// <summary>How a received message is labelled: its author, and whether the author's own signature proves it
    /// (<c>[alice &lt;alice@example.org&gt;]</c>) or only the server says so (<c>[alice (server-attested)]</c>).</summary>
    public static string Author(ChatMessageReceived message) => message.Proof switch
    {
        ProofLevel.Author => $"[{Safe(message.From)} <{Safe(message.AuthorEmail)}>]",
        ProofLevel.Server => $"[{Safe(message.From)} (server-attested)]",
        _ => $"[{Safe(message.From ?? "server")}]",
    };

    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') ? '?' : c);
        }

        return builder.ToString();
    }
}
