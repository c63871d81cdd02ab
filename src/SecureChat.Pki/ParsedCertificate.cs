using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;

namespace SecureChat.Pki;

/// <summary>A decoded certificate with everything about it that does not depend on time or on who judges it: its
/// DER hash, its <see cref="CertificateFacts"/>, its subject and its imported public key. Whether it is acceptable
/// is still decided by a <see cref="CertificateValidator"/> at a given time.</summary>
/// <remarks>
/// <para>Until a <see cref="CertificateCache"/> admits it, an instance belongs to whoever created it and
/// <see cref="Dispose"/> frees the certificate and key. Once shared, <see cref="Dispose"/> does nothing: other
/// sessions may be using it, and the finalizers free it after the cache has let it go.</para>
/// <para>All members are safe to read from many threads: the facts are computed once in the constructor, and the
/// subject and key are computed at most once. Sessions may build chains for one shared certificate at the same
/// time: each X509Chain takes its own reference to the native certificate, and OpenSSL (1.1 and later) guards the
/// certificate's cached extension data with its own lock.</para>
/// </remarks>
public sealed class ParsedCertificate : IDisposable
{
    private readonly bool _ownsCertificate;
    private readonly Lazy<VerificationKey?> _key;
    private readonly Lazy<string> _subject;
    private volatile bool _shared;

    private ParsedCertificate(X509Certificate2 certificate, bool ownsCertificate, bool matchesSource)
    {
        Certificate = certificate;
        _ownsCertificate = ownsCertificate;
        MatchesSourceDer = matchesSource;
        var hash = SHA256.HashData(certificate.RawDataMemory.Span);
        DerSha256 = hash;
        DerSha256Hex = Convert.ToHexStringLower(hash);
        Facts = CertificateFacts.TryRead(certificate, out var problem);
        FactsProblem = problem;

        // Imported on first use: a certificate that fails its checks never costs a key import.
        _key = new Lazy<VerificationKey?>(() => VerificationKey.FromCertificate(certificate), LazyThreadSafetyMode.ExecutionAndPublication);
        _subject = new Lazy<string>(() => certificate.Subject, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The certificate. When <see cref="IsShared"/>, other sessions use the same instance: never dispose it.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate's DER: the cache key.</summary>
    public ReadOnlyMemory<byte> DerSha256 { get; }

    /// <summary><see cref="DerSha256"/> as lowercase hex.</summary>
    public string DerSha256Hex { get; }

    /// <summary>The subject, as <see cref="X509Certificate.Subject"/> spells it.</summary>
    public string Subject => _subject.Value;

    /// <summary>The first rfc822Name subjectAltName (a per-user certificate names its owner there), or
    /// <see langword="null"/> when it has none or does not decode; the same as <see cref="CertificateValidator.EmailOf"/>.</summary>
    public string? Email => Facts is { EmailAddresses.Count: > 0 } facts ? facts.EmailAddresses[0] : null;

    /// <summary>Whether a <see cref="CertificateCache"/> holds this instance, so that <see cref="Dispose"/> leaves it alone.</summary>
    public bool IsShared => _shared;

    /// <summary>Whether the certificate's DER is byte for byte what it was loaded from (no trailing or re-encoded
    /// bytes): only such a certificate may stand for its DER hash in a cache.</summary>
    public bool MatchesSourceDer { get; }

    /// <summary>The decoded extensions, names and key facts, or <see langword="null"/> when they do not decode.</summary>
    internal CertificateFacts? Facts { get; }

    /// <summary>Why <see cref="Facts"/> is null.</summary>
    internal string FactsProblem { get; }

    /// <summary>Loads a certificate from DER. Returns <see langword="null"/> when it does not decode; the caller decides
    /// whether trailing bytes (<see cref="MatchesSourceDer"/> false) are acceptable.</summary>
    public static ParsedCertificate? TryLoad(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }

        return new ParsedCertificate(certificate, ownsCertificate: true, certificate.RawDataMemory.Span.SequenceEqual(der));
    }

    /// <summary>Wraps a certificate the caller keeps owning: <see cref="Dispose"/> frees only the imported key.</summary>
    public static ParsedCertificate Borrow(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new ParsedCertificate(certificate, ownsCertificate: false, matchesSource: false);
    }

    /// <summary>A view of the public key whose disposal leaves the key to this instance, or <see langword="null"/>
    /// when the key is neither RSA nor ECDSA. The key is imported once, on first use.</summary>
    public VerificationKey? BorrowKey() => _key.Value?.Borrow();

    /// <summary>Frees the certificate and key unless a cache shares them.</summary>
    public void Dispose()
    {
        if (_shared)
        {
            return;
        }

        if (_key.IsValueCreated)
        {
            _key.Value?.Dispose();
        }

        if (_ownsCertificate)
        {
            Certificate.Dispose();
        }
    }

    /// <summary>Called by the cache that admits this instance; from then on nothing disposes it explicitly.</summary>
    internal void MarkShared() => _shared = true;
}
