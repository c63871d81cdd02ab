namespace SecureChat.Pki;

/// <summary>A certificate, key or revocation file is missing, unreadable, malformed or does not match.</summary>
/// <remarks>The message is one sentence meant for the operator; it never contains key material.</remarks>
public sealed class PkiException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public PkiException()
        : base("A PKI file could not be used.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public PkiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and the error that caused it.</summary>
    public PkiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
