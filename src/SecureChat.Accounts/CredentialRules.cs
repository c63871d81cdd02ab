using System.Globalization;

namespace SecureChat.Accounts;

/// <summary>The shape checks applied to register and login fields before anything else happens.</summary>
internal static class CredentialRules
{
    public const int MinUsernameLength = 3;
    public const int MaxUsernameLength = 32;
    public const int MaxEmailLocalPartLength = 64;

    /// <summary>One '@' between a non-empty local part (≤ 64) and a dot-separated domain, ≤ 254 in all, no whitespace, control or invisible format characters.</summary>
    public static bool IsValidEmail(string? email)
    {
        if (email is null || email.Length is < 3 or > SqlUserStore.MaxEmailLength)
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at is <= 0 or > MaxEmailLocalPartLength || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        var domain = email.AsSpan(at + 1);
        if (domain[0] == '.' || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in email)
        {
            // Format characters (zero-width, bidi overrides) would let two addresses look identical.
            if (char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c)
                || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>3 to 32 characters from <c>[A-Za-z0-9_.-]</c>.</summary>
    public static bool IsValidUsername(string? username) =>
        username is { Length: >= MinUsernameLength and <= MaxUsernameLength }
        && username.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
