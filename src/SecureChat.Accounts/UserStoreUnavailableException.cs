namespace SecureChat.Accounts;

/// <summary>The one exception a user store throws when its database cannot be reached or does not answer in time.</summary>
/// <remarks>
/// Callers map it to a generic "try again later" answer (the server's <c>INTERNAL</c> error); the inner exception
/// carries the driver's detail for the operator's log. The store stays usable: the next call tries the database again.
/// </remarks>
public sealed class UserStoreUnavailableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public UserStoreUnavailableException()
        : base("The user database is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UserStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the driver's exception.</summary>
    public UserStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
