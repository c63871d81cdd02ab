using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Pki;

/// <summary>Creates the Root CA and issues leaf certificates for servers, clients and users.</summary>
/// <remarks>Every certificate is signed with SHA-256 (RSA PKCS#1 v1.5 or ECDSA), which every X.509
/// implementation, including <c>openssl verify</c>, accepts.</remarks>
public static class CertificateAuthority
{
    private const int SerialNumberBytes = 16;
    private const string RsaOid = "1.2.840.113549.1.1.1";

    /// <summary>Creates a self-signed root: CA:true and keyCertSign|cRLSign, both critical, with a subject key identifier.</summary>
    /// <returns>The root certificate with its private key.</returns>
    public static X509Certificate2 CreateRoot(string commonName, KeyKind key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        CheckValidity(notBefore, notAfter);
        using var rootKey = GenerateKey(key);
        var request = CreateRequest(BuildSubject(commonName), rootKey);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>Issues a leaf certificate for a freshly generated key, signed by <paramref name="issuer"/>.</summary>
    /// <param name="issuer">The CA certificate, with its private key.</param>
    /// <param name="role">Decides the names and extended key usage of the leaf.</param>
    /// <param name="name">The DNS name (server), the CN (client) or the e-mail address (user).</param>
    /// <returns>The leaf certificate with its private key.</returns>
    /// <exception cref="ArgumentException">The issuer has no private key or is not a CA, or the leaf would outlive it.</exception>
    public static X509Certificate2 Issue(
        X509Certificate2 issuer, CertificateRole role, string name, KeyKind key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var leafKey = GenerateKey(key);
        return Issue(issuer, role, name, leafKey, notBefore, notAfter);
    }

    /// <summary>Issues a leaf certificate for an existing RSA or ECDSA key pair, signed by <paramref name="issuer"/>.</summary>
    /// <remarks>No size check is made here so that tests can build deliberately weak certificates; the
    /// <see cref="CertificateValidator"/> refuses them. A <paramref name="notBefore"/> earlier than the issuer's is
    /// moved up to it; a <paramref name="notAfter"/> later than the issuer's is an error.</remarks>
    /// <returns>The leaf certificate with a copy of <paramref name="subjectKey"/> as its private key.</returns>
    public static X509Certificate2 Issue(
        X509Certificate2 issuer,
        CertificateRole role,
        string name,
        AsymmetricAlgorithm subjectKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        if (subjectKey is not (RSA or ECDsa))
        {
            throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(subjectKey));
        }

        using var unkeyed = IssueForPublicKey(issuer, role, name, new PublicKey(subjectKey), notBefore, notAfter);
        return subjectKey switch
        {
            RSA rsa => unkeyed.CopyWithPrivateKey(rsa),
            _ => unkeyed.CopyWithPrivateKey((ECDsa)subjectKey),
        };
    }

    /// <summary>Issues a per-user certificate for the public key of a verified signing request; the CA never sees the
    /// private key.</summary>
    /// <remarks>The certificate is built exactly as <see cref="Issue(X509Certificate2, CertificateRole, string, KeyKind, DateTimeOffset, DateTimeOffset)"/>
    /// builds a <see cref="CertificateRole.User"/> certificate: from the request only the public key is taken, the
    /// names come from <paramref name="email"/>, and no extension of the request is copied.</remarks>
    /// <param name="issuer">The CA certificate, with its private key.</param>
    /// <param name="request">A request whose signature was verified when it was loaded.</param>
    /// <param name="email">The user's e-mail address, which the request must carry (<see cref="SigningRequest.CheckUser"/>).</param>
    /// <returns>The certificate, without a private key.</returns>
    /// <exception cref="PkiException">The request's key, names or extensions are not acceptable for a user.</exception>
    /// <exception cref="ArgumentException">The issuer has no private key or is not a CA, or the leaf would outlive it.</exception>
    public static X509Certificate2 SignUserRequest(
        X509Certificate2 issuer, SigningRequest request, string email, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.CheckUser(email);
        return IssueForPublicKey(issuer, CertificateRole.User, email, request.PublicKey, notBefore, notAfter);
    }

    /// <summary>Generates a fresh key pair of the given kind.</summary>
    public static AsymmetricAlgorithm GenerateKey(KeyKind key) => key switch
    {
        KeyKind.Rsa2048 => RSA.Create(2048),
        KeyKind.Rsa3072 => RSA.Create(3072),
        KeyKind.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown key kind."),
    };

    /// <summary>Makes a random positive serial number of exactly 16 bytes for a new certificate.</summary>
    /// <remarks>The top two bits are fixed to 01 so the DER INTEGER needs no sign byte and never loses a
    /// leading zero byte: every serial prints as 32 hex digits, which keeps revocation lists unambiguous.</remarks>
    public static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(SerialNumberBytes);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }

    private static X509Certificate2 IssueForPublicKey(
        X509Certificate2 issuer, CertificateRole role, string name, PublicKey subjectKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CheckIssuer(issuer, notAfter);

        // Backdating a leaf a little for clock skew is common; before a just-created CA it would be meaningless.
        var issuerNotBefore = new DateTimeOffset(issuer.NotBefore.ToUniversalTime());
        if (notBefore < issuerNotBefore)
        {
            notBefore = issuerNotBefore;
        }

        CheckValidity(notBefore, notAfter);

        var request = new CertificateRequest(BuildSubject(name), subjectKey, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, role, name, subjectKey.Oid.Value == RsaOid);
        request.CertificateExtensions.Add(AuthorityKeyIdentifier(issuer));

        using var generator = new IssuerSigner(issuer);
        return request.Create(issuer.SubjectName, generator.Generator, notBefore, notAfter, NewSerialNumber());
    }

    private static void AddLeafExtensions(CertificateRequest request, CertificateRole role, string name, bool isRsa)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = X509KeyUsageFlags.DigitalSignature | (isRsa ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.None);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var serverAuth = new Oid("1.3.6.1.5.5.7.3.1");
        var clientAuth = new Oid("1.3.6.1.5.5.7.3.2");
        switch (role)
        {
            case CertificateRole.Server:
                var dns = new SubjectAlternativeNameBuilder();
                dns.AddDnsName(name);
                request.CertificateExtensions.Add(dns.Build(false));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([serverAuth], false));
                break;
            case CertificateRole.Client:
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([clientAuth], false));
                break;
            case CertificateRole.User:
                var email = new SubjectAlternativeNameBuilder();
                email.AddEmailAddress(name);
                request.CertificateExtensions.Add(email.Build(false));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([clientAuth], false));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown certificate role.");
        }
    }

    // A CA made by bare openssl has no subject key identifier; the RFC 5280 §4.2.1.2 method derives the same
    // value a CA with one would normally carry.
    private static X509AuthorityKeyIdentifierExtension AuthorityKeyIdentifier(X509Certificate2 issuer)
    {
        var keyIdentifier = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? new X509SubjectKeyIdentifierExtension(issuer.PublicKey, false);
        return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(keyIdentifier);
    }

    private static CertificateRequest CreateRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        _ => throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(key)),
    };

    // The builder escapes the value, so a name containing ',' or '=' cannot smuggle in other attributes.
    private static X500DistinguishedName BuildSubject(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    private static void CheckValidity(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (notAfter <= notBefore)
        {
            throw new ArgumentException("The certificate must end after it begins.", nameof(notAfter));
        }
    }

    private static void CheckIssuer(X509Certificate2 issuer, DateTimeOffset notAfter)
    {
        if (!issuer.HasPrivateKey)
        {
            throw new ArgumentException("The issuer certificate has no private key.", nameof(issuer));
        }

        // A leaf that outlives its CA would only fail later, at the peer; refuse it where the mistake is made.
        // Certificates store whole seconds, so compare at that precision.
        if (WholeSeconds(notAfter) > issuer.NotAfter.ToUniversalTime())
        {
            throw new ArgumentException("The leaf must not outlive the issuer certificate.", nameof(notAfter));
        }

        if (issuer.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: false })
        {
            throw new ArgumentException("The issuer certificate is not a CA.", nameof(issuer));
        }
    }

    private static DateTime WholeSeconds(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>Owns the issuer's private key for the duration of one signature.</summary>
    private sealed class IssuerSigner : IDisposable
    {
        private readonly AsymmetricAlgorithm _key;

        public IssuerSigner(X509Certificate2 issuer)
        {
            if (issuer.GetRSAPrivateKey() is { } rsa)
            {
                _key = rsa;
                Generator = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
            }
            else if (issuer.GetECDsaPrivateKey() is { } ecdsa)
            {
                _key = ecdsa;
                Generator = X509SignatureGenerator.CreateForECDsa(ecdsa);
            }
            else
            {
                throw new ArgumentException("The issuer key must be RSA or ECDSA.", nameof(issuer));
            }
        }

        public X509SignatureGenerator Generator { get; }

        public void Dispose() => _key.Dispose();
    }
}
