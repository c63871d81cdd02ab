namespace SecureChat.Pki;

/// <summary>Why a peer certificate was refused (protocol §6).</summary>
public enum CertificateFailure
{
    /// <summary>The certificate passed every check.</summary>
    None,

    /// <summary>The certificate could not be parsed or carries inconsistent or unsupported encodings.</summary>
    Malformed,

    /// <summary>The certificate does not chain to the configured Root CA.</summary>
    UntrustedIssuer,

    /// <summary>The certificate (or its issuer) is past its notAfter date.</summary>
    Expired,

    /// <summary>The certificate is not valid before a date in the future.</summary>
    NotYetValid,

    /// <summary>The certificate is a CA certificate, which must never authenticate a peer.</summary>
    CaAsLeaf,

    /// <summary>The key usage or extended key usage does not allow this role.</summary>
    WrongUsage,

    /// <summary>The public key is too small or of an algorithm the protocol does not accept.</summary>
    WeakKey,

    /// <summary>The certificate names someone other than the expected peer.</summary>
    NameMismatch,

    /// <summary>The certificate's serial number is in the revocation list.</summary>
    Revoked,
}
