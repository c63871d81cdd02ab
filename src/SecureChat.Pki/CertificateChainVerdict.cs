namespace SecureChat.Pki;

/// <summary>The time-independent half of a certificate check: whether the certificate chains to one validator's
/// Root CA, and the validity periods of its issuers for the time-dependent half to judge
/// (<see cref="CertificateValidator.Judge"/>).</summary>
/// <remarks>It is bound to the Root CA and the certificate it was computed for; judging it with a validator of
/// another root, or for another certificate, is refused, so a verdict never leaks from one trust anchor to
/// another.</remarks>
public sealed class CertificateChainVerdict
{
    internal CertificateChainVerdict(
        byte[] rootDer, string certificateSha256Hex, CertificateCheck? failure, IReadOnlyList<ValidityPeriod> issuerPeriods)
    {
        RootDer = rootDer;
        CertificateSha256Hex = certificateSha256Hex;
        Failure = failure;
        IssuerPeriods = issuerPeriods;
    }

    /// <summary>Whether the chain to the Root CA verified (the remaining checks may still fail).</summary>
    public bool ChainsToRoot => Failure is null;

    internal byte[] RootDer { get; }

    internal string CertificateSha256Hex { get; }

    /// <summary>The chain failure (or the malformed certificate's), or <see langword="null"/>.</summary>
    internal CertificateCheck? Failure { get; }

    /// <summary>The issuers' validity periods, nearest issuer first.</summary>
    internal IReadOnlyList<ValidityPeriod> IssuerPeriods { get; }

    /// <summary>A certificate's notBefore and notAfter, in UTC.</summary>
    internal readonly record struct ValidityPeriod(DateTime NotBeforeUtc, DateTime NotAfterUtc);
}
