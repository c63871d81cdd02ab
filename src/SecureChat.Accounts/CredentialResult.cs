namespace SecureChat.Accounts;

/// <summary>What a register or login request came to; the first five map one-to-one onto the protocol's <c>auth_response</c> codes.</summary>
public enum CredentialOutcome
{
    /// <summary>Registered or logged in (<c>OK</c>).</summary>
    Ok,

    /// <summary>Registration refused: the e-mail address or username is taken (<c>USER_EXISTS</c>).</summary>
    UserExists,

    /// <summary>Login refused: unknown e-mail or wrong password, deliberately indistinguishable (<c>INVALID_CREDENTIALS</c>).</summary>
    InvalidCredentials,

    /// <summary>A field is malformed (<c>INVALID_INPUT</c>).</summary>
    InvalidInput,

    /// <summary>Too many failures for the account or the remote address; refused before any hashing (<c>RATE_LIMITED</c>).</summary>
    RateLimited,

    /// <summary>The user database is unavailable; the server answers with <c>error INTERNAL</c>.</summary>
    Unavailable,
}

/// <summary>The answer to a register or login request.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Username">The account's username on success, otherwise <see langword="null"/>.</param>
/// <param name="Message">A short human-readable sentence safe to send to the client: no password, no hint whether a login e-mail is registered.</param>
public sealed record CredentialResult(CredentialOutcome Outcome, string? Username, string Message)
{
    /// <summary>Reports whether the request succeeded.</summary>
    public bool Succeeded => Outcome == CredentialOutcome.Ok;
}
