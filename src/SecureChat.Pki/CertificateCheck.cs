namespace SecureChat.Pki;

/// <summary>The outcome of a certificate check: a failure kind and a short human-readable reason.</summary>
/// <param name="Failure">What went wrong, or <see cref="CertificateFailure.None"/>.</param>
/// <param name="Reason">One sentence for logs and error messages; never contains secrets.</param>
public readonly record struct CertificateCheck(CertificateFailure Failure, string Reason)
{
    /// <summary>Whether the certificate passed every check.</summary>
    public bool IsValid => Failure == CertificateFailure.None;

    /// <summary>The result for a certificate that passed every check.</summary>
    public static CertificateCheck Valid { get; } = new(CertificateFailure.None, "certificate is valid");
}
