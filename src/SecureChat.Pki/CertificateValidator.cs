using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using static SecureChat.Pki.CertificateChainVerdict;

namespace SecureChat.Pki;

/// <summary>Decides whether a peer certificate is acceptable under protocol §6.</summary>
/// <remarks>Checks run in an order chosen so that the reported failure is the most telling one: a certificate
/// from a foreign CA is reported as untrusted, not as misnamed. It never throws for a hostile certificate.</remarks>
public sealed class CertificateValidator
{
    /// <summary>The smallest RSA modulus accepted (protocol §2).</summary>
    public const int MinimumRsaBits = 2048;

    /// <summary>The largest RSA modulus accepted; anything larger only serves to make verification slow.</summary>
    public const int MaximumRsaBits = 16384;

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const int MaxNameInReason = 64;

    private const X509ChainStatusFlags UntrustedFlags =
        X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.NotSignatureValid
        | X509ChainStatusFlags.Cyclic | X509ChainStatusFlags.ExplicitDistrust | X509ChainStatusFlags.InvalidBasicConstraints;

    private const X509ChainStatusFlags MalformedFlags =
        X509ChainStatusFlags.HasNotSupportedCriticalExtension | X509ChainStatusFlags.InvalidExtension;

    // Time is judged by our own comparison (it gives the precise reason); revocation is our own list.
    private const X509ChainStatusFlags IgnoredFlags =
        X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.RevocationStatusUnknown
        | X509ChainStatusFlags.OfflineRevocation | X509ChainStatusFlags.Revoked;

    private readonly CertificatePolicy _policy;
    private readonly X509Certificate2 _root;
    private readonly byte[] _rootDer;
    private readonly HashSet<string> _revoked;

    /// <summary>Creates a validator for one policy; it can be shared between threads.</summary>
    public CertificateValidator(CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(policy.Root);
        ArgumentNullException.ThrowIfNull(policy.RevokedSerials);
        _policy = policy;

        // A private copy without the key: the caller may dispose its certificate, and a trust store needs no key.
        _rootDer = policy.Root.RawData;
        _root = X509CertificateLoader.LoadCertificate(_rootDer);
        _revoked = policy.RevokedSerials.Select(RevocationList.NormalizeSerial).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The cache of parsed certificates this validator's users share (<see cref="CertificatePolicy.Cache"/>),
    /// or <see langword="null"/>.</summary>
    public CertificateCache? Cache => _policy.Cache;

    /// <summary>Checks a peer certificate at time <paramref name="now"/>.</summary>
    public CertificateCheck Validate(X509Certificate2 certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var parsed = ParsedCertificate.Borrow(certificate);
        return Validate(parsed, now);
    }

    /// <summary>Checks a parsed (possibly cached) peer certificate at time <paramref name="now"/>: builds its chain
    /// afresh, then judges it; the same verdict as <see cref="Validate(X509Certificate2, DateTimeOffset)"/>.</summary>
    public CertificateCheck Validate(ParsedCertificate certificate, DateTimeOffset now) =>
        Judge(certificate, CheckChain(certificate, now), now);

    /// <summary>The time-independent half of <see cref="Validate(ParsedCertificate, DateTimeOffset)"/>: builds the chain
    /// to the Root CA. The verdict does not depend on <paramref name="now"/> (X509Chain's time flags are ignored; the
    /// issuers' dates are kept for <see cref="Judge"/>), so it may be reused to judge the same certificate at other
    /// times with this validator.</summary>
    public CertificateChainVerdict CheckChain(ParsedCertificate certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Facts is null)
        {
            return new CertificateChainVerdict(_rootDer, certificate.DerSha256Hex, Fail(CertificateFailure.Malformed, certificate.FactsProblem), []);
        }

        var failure = BuildChain(certificate.Certificate, now, out var issuerPeriods);
        return new CertificateChainVerdict(_rootDer, certificate.DerSha256Hex, failure, issuerPeriods);
    }

    /// <summary>The time-dependent half: every check of protocol §6 in the usual order, with the chain's outcome taken
    /// from <paramref name="chain"/>. Revocation, the validity periods (leaf and issuers), role and name are judged at
    /// every call.</summary>
    /// <exception cref="ArgumentException">The verdict is for another certificate or another Root CA.</exception>
    public CertificateCheck Judge(ParsedCertificate certificate, CertificateChainVerdict chain, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        if (!string.Equals(chain.CertificateSha256Hex, certificate.DerSha256Hex, StringComparison.Ordinal)
            || !chain.RootDer.AsSpan().SequenceEqual(_rootDer))
        {
            throw new ArgumentException("The chain verdict is for another certificate or another Root CA.", nameof(chain));
        }

        if (certificate.Facts is not { } facts)
        {
            return Fail(CertificateFailure.Malformed, certificate.FactsProblem);
        }

        // An expired CA is reported after the leaf's own dates: "certificate expired" is the more direct reason.
        return chain.Failure
            ?? CheckRevoked(facts)
            ?? CheckValidityPeriod(facts, now)
            ?? IssuerTimeProblem(chain.IssuerPeriods, now)
            ?? CheckNotCa(facts)
            ?? CheckKey(facts)
            ?? CheckUsage(facts)
            ?? CheckName(facts)
            ?? CertificateCheck.Valid;
    }

    /// <summary>A validator with the same Root CA and revocations for another role and name (for example the client
    /// role without a name, to check the certificate of a message's author).</summary>
    public CertificateValidator ForPeer(ExpectedPeer peer, string? expectedName) =>
        new(new CertificatePolicy { Root = _root, Peer = peer, ExpectedName = expectedName, RevokedSerials = _revoked, Cache = _policy.Cache });

    /// <summary>This validator with <paramref name="cache"/> for its users to share parsed certificates through.</summary>
    public CertificateValidator WithCache(CertificateCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return new(new CertificatePolicy
        {
            Root = _root,
            Peer = _policy.Peer,
            ExpectedName = _policy.ExpectedName,
            RevokedSerials = _revoked,
            Cache = cache,
        });
    }

    /// <summary>The first rfc822Name subjectAltName of the certificate (a per-user certificate names its owner's e-mail
    /// address there), or <see langword="null"/> when it has none or does not decode.</summary>
    public static string? EmailOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var facts = CertificateFacts.TryRead(certificate, out _);
        return facts is { EmailAddresses.Count: > 0 } ? facts.EmailAddresses[0] : null;
    }

    /// <summary>Whether the certificate's subject CN or an rfc822Name subjectAltName equals <paramref name="email"/>,
    /// ignoring case.</summary>
    public static bool MatchesEmail(X509Certificate2 certificate, string email)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(email);
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        return Names(CertificateFacts.TryRead(certificate, out _), email);
    }

    /// <summary><see cref="MatchesEmail(X509Certificate2, string)"/> from the facts read when the certificate was parsed,
    /// without reading them again (which also imports its key).</summary>
    public static bool MatchesEmail(ParsedCertificate certificate, string email)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(email);
        return !string.IsNullOrWhiteSpace(email) && Names(certificate.Facts, email);
    }

    private static bool Names(CertificateFacts? facts, string email) =>
        facts is not null
        && facts.CommonNames.Concat(facts.EmailAddresses).Any(n => string.Equals(n, email, StringComparison.OrdinalIgnoreCase));

    private CertificateCheck? BuildChain(X509Certificate2 certificate, DateTimeOffset now, out IReadOnlyList<ValidityPeriod> issuerPeriods)
    {
        issuerPeriods = [];
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(_root);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTimeIgnored = false;

        // A UTC DateTime keeps its meaning whichever way X509Chain converts between local and universal time.
        policy.VerificationTime = now.UtcDateTime;
        try
        {
            chain.Build(certificate);
            return JudgeChain(chain, out issuerPeriods);
        }
        catch (CryptographicException)
        {
            return Fail(CertificateFailure.Malformed, "certificate could not be processed");
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    private CertificateCheck? JudgeChain(X509Chain chain, out IReadOnlyList<ValidityPeriod> issuerPeriods)
    {
        issuerPeriods = [];
        var elements = chain.ChainElements;
        var untrusted = Fail(CertificateFailure.UntrustedIssuer, "certificate is not issued by the configured Root CA");

        // CustomRootTrust already ends every good chain at our root; comparing bytes makes that independent of
        // platform chain-building quirks.
        if (elements.Count == 0 || !elements[^1].Certificate.RawData.AsSpan().SequenceEqual(_rootDer))
        {
            return untrusted;
        }

        var periods = new List<ValidityPeriod>(elements.Count - 1);
        for (var i = 0; i < elements.Count; i++)
        {
            var flags = elements[i].ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
            if ((flags & UntrustedFlags) != 0)
            {
                return untrusted;
            }

            if ((flags & MalformedFlags) != 0)
            {
                return Fail(CertificateFailure.Malformed, "certificate has an unsupported or invalid extension");
            }

            if ((flags & ~(UntrustedFlags | MalformedFlags | IgnoredFlags)) != 0)
            {
                return Fail(CertificateFailure.UntrustedIssuer, $"certificate chain is not acceptable ({flags & ~IgnoredFlags})");
            }

            if (i > 0)
            {
                var issuer = elements[i].Certificate;
                periods.Add(new ValidityPeriod(issuer.NotBefore.ToUniversalTime(), issuer.NotAfter.ToUniversalTime()));
            }
        }

        issuerPeriods = periods;
        return elements.Count == 1
            ? Fail(CertificateFailure.CaAsLeaf, "certificate is the Root CA itself, not a peer certificate")
            : null;
    }

    /// <summary>The first issuer, nearest the leaf first, that is not valid at <paramref name="now"/>.</summary>
    private static CertificateCheck? IssuerTimeProblem(IReadOnlyList<ValidityPeriod> issuers, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        foreach (var issuer in issuers)
        {
            if (utc > issuer.NotAfterUtc)
            {
                return Fail(CertificateFailure.Expired, $"issuing CA certificate expired on {Format(issuer.NotAfterUtc)}");
            }

            if (utc < issuer.NotBeforeUtc)
            {
                return Fail(CertificateFailure.NotYetValid, $"issuing CA certificate is not valid before {Format(issuer.NotBeforeUtc)}");
            }
        }

        return null;
    }

    private CertificateCheck? CheckRevoked(CertificateFacts facts) =>
        _revoked.Contains(facts.Serial)
            ? Fail(CertificateFailure.Revoked, $"certificate with serial {facts.Serial} is revoked")
            : null;

    private static CertificateCheck? CheckValidityPeriod(CertificateFacts facts, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        if (utc > facts.NotAfterUtc)
        {
            return Fail(CertificateFailure.Expired, $"certificate expired on {Format(facts.NotAfterUtc)}");
        }

        return utc < facts.NotBeforeUtc
            ? Fail(CertificateFailure.NotYetValid, $"certificate is not valid before {Format(facts.NotBeforeUtc)}")
            : null;
    }

    private static CertificateCheck? CheckNotCa(CertificateFacts facts) =>
        facts.IsCa ? Fail(CertificateFailure.CaAsLeaf, "certificate is a CA certificate, not a peer certificate") : null;

    private static CertificateCheck? CheckKey(CertificateFacts facts) =>
        facts.KeyProblem is { } problem ? Fail(CertificateFailure.WeakKey, problem) : null;

    private CertificateCheck? CheckUsage(CertificateFacts facts)
    {
        if (facts.KeyUsage is { } usage && (usage & X509KeyUsageFlags.DigitalSignature) == 0)
        {
            return Fail(CertificateFailure.WrongUsage, "certificate key usage does not allow digital signatures");
        }

        var (oid, purpose) = _policy.Peer == ExpectedPeer.Server ? (ServerAuthOid, "server") : (ClientAuthOid, "client");
        return facts.ExtendedKeyUsage is { } eku && !eku.Contains(oid)
            ? Fail(CertificateFailure.WrongUsage, $"certificate is not allowed for {purpose} authentication")
            : null;
    }

    private CertificateCheck? CheckName(CertificateFacts facts)
    {
        if (_policy.ExpectedName is not { } expected)
        {
            return null;
        }

        // RFC 6125: once DNS names are present, the CN is not consulted.
        var names = facts.DnsNames.Count > 0 ? facts.DnsNames : facts.CommonNames;
        if (names.Any(n => string.Equals(n, expected, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var shown = names.Count == 0 ? "no name" : $"'{Sanitize(names[0])}'";
        return Fail(CertificateFailure.NameMismatch, $"certificate is for {shown}, not '{Sanitize(expected)}'");
    }

    private static CertificateCheck Fail(CertificateFailure failure, string reason) => new(failure, reason);

    private static string Format(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // Names come from the peer: keep them short and free of control characters before they reach a log line.
    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxNameInReason));
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, MaxNameInReason)))
        {
            builder.Append(char.IsControl(c) || c == '\'' ? '?' : c);
        }

        return name.Length > MaxNameInReason ? builder.Append('…').ToString() : builder.ToString();
    }
}
