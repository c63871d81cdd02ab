namespace SecureChat.Protocol.Messages;

/// <summary>The decrypted body of <c>auth_request</c> (docs/PROTOCOL.md §4.3).</summary>
public sealed record AuthRequestPlaintext
{
    /// <summary>Operation name for registration.</summary>
    public const string Register = "register";

    /// <summary>Operation name for login.</summary>
    public const string Login = "login";

    /// <summary><c>register</c> or <c>login</c>.</summary>
    public required string Op { get; init; }

    /// <summary>Account e-mail address.</summary>
    public required string Email { get; init; }

    /// <summary>Chosen username; required for <c>register</c>.</summary>
    public string? Username { get; init; }

    /// <summary>The password; it exists only inside k_auth encryption and server memory.</summary>
    public required string Password { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"AuthRequestPlaintext {{ Op = {Op}, Email = {Email}, Username = {Username} }}";
}

/// <summary>The decrypted body of <c>auth_response</c> (docs/PROTOCOL.md §4.3).</summary>
public sealed record AuthResponsePlaintext
{
    /// <summary>True when the user is now logged in.</summary>
    public required bool Ok { get; init; }

    /// <summary><c>OK</c>, <c>USER_EXISTS</c>, <c>INVALID_CREDENTIALS</c>, <c>INVALID_INPUT</c> or <c>RATE_LIMITED</c>.</summary>
    public required string Code { get; init; }

    /// <summary>The account's username (empty on failure).</summary>
    public string? Username { get; init; }

    /// <summary>Human-readable text; never says whether an e-mail address is registered.</summary>
    public string? Message { get; init; }
}

/// <summary>Result codes carried in <see cref="AuthResponsePlaintext.Code"/>.</summary>
public static class AuthCodes
{
    /// <summary>Success.</summary>
    public const string Ok = "OK";

    /// <summary>E-mail or username already registered.</summary>
    public const string UserExists = "USER_EXISTS";

    /// <summary>Unknown e-mail or wrong password (deliberately the same code).</summary>
    public const string InvalidCredentials = "INVALID_CREDENTIALS";

    /// <summary>A field failed validation.</summary>
    public const string InvalidInput = "INVALID_INPUT";

    /// <summary>Too many recent failures for this account or address.</summary>
    public const string RateLimited = "RATE_LIMITED";
}
