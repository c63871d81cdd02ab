using System.Text;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>Checks the names that go into certificates before anything is generated.</summary>
/// <remarks>The rules are stricter than X.509 allows on purpose: the name also becomes a file name
/// (<c>NAME.crt</c>), so it must not contain path separators or start with a dot, and a CN is at most 64
/// characters (RFC 5280 ub-common-name).</remarks>
internal static class PkiNames
{
    /// <summary>The longest name accepted; every name is also the subject CN.</summary>
    public const int MaxLength = 64;

    private const int MaxLabelLength = 63;
    private const int MaxShownLength = 80;

    /// <summary>Checks a name for the given role and returns it unchanged when it is acceptable.</summary>
    /// <exception cref="ArgumentException">The name is not a DNS name (server), a simple name (client) or an e-mail
    /// address (user); the message is one sentence for the operator.</exception>
    public static string Check(CertificateRole role, string name) => role switch
    {
        CertificateRole.Server => CheckServerName(name),
        CertificateRole.Client => CheckClientName(name),
        CertificateRole.User => CheckEmail(name),
        _ => throw new ArgumentException($"Unknown certificate role {role}."),
    };

    /// <summary>Accepts a DNS host name such as <c>server.local</c>.</summary>
    /// <exception cref="ArgumentException">The name is not a DNS host name.</exception>
    public static string CheckServerName(string name)
    {
        if (IsHostName(name))
        {
            return name;
        }

        throw new ArgumentException(
            $"The server name '{Show(name)}' is not a valid DNS name: use dot-separated labels of letters, digits and '-', "
            + $"at most {MaxLength} characters (for example server.local){EmailHint(name)}.");
    }

    /// <summary>Accepts a simple client name such as <c>client.local</c> or <c>build_agent-7</c>.</summary>
    /// <exception cref="ArgumentException">The name has other characters or is too long.</exception>
    public static string CheckClientName(string name)
    {
        if (name.Length is > 0 and <= MaxLength
            && char.IsAsciiLetterOrDigit(name[0])
            && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            return name;
        }

        throw new ArgumentException(
            $"The client name '{Show(name)}' is not valid: use 1 to {MaxLength} letters, digits, '.', '-' or '_', "
            + $"starting and ending with a letter or digit{EmailHint(name)}.");
    }

    /// <summary>Accepts an e-mail address of the usual shape <c>local@domain</c>.</summary>
    /// <exception cref="ArgumentException">The text is not shaped like an e-mail address.</exception>
    public static string CheckEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (email.Length <= MaxLength && at > 0 && IsLocalPart(email[..at]) && IsHostName(email[(at + 1)..]))
        {
            return email;
        }

        throw new ArgumentException(
            $"The user name '{Show(email)}' is not an e-mail address such as alice@example.com "
            + $"(at most {MaxLength} characters); per-user certificates are issued for the user's e-mail.");
    }

    /// <summary>Makes text from the command line safe to repeat in an error sentence: no control characters, not
    /// longer than a line.</summary>
    public static string Show(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxShownLength));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxShownLength)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > MaxShownLength ? builder.Append('…').ToString() : builder.ToString();
    }

    private static string EmailHint(string name) =>
        name.Contains('@', StringComparison.Ordinal) ? "; for a person's e-mail address use --role user" : string.Empty;

    // RFC 1123 host name; the whole name is bounded by the CN limit, which is stricter than DNS's 253.
    private static bool IsHostName(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength
                || label[0] == '-'
                || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    // The common dot-atom subset: '/' and the shell's favourite characters are left out because the address also
    // names the certificate's files.
    private static bool IsLocalPart(string local) =>
        local.Length > 0
        && local[0] != '.'
        && local[^1] != '.'
        && !local.Contains("..", StringComparison.Ordinal)
        && local.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-');
}
