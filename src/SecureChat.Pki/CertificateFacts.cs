using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Pki;

/// <summary>The parts of a certificate the checks look at, decoded once so that a malformed certificate fails in
/// one place (<see cref="TryRead(X509Certificate2, out string)"/>) instead of throwing from the middle of a check.</summary>
internal sealed class CertificateFacts
{
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string KeyUsageOid = "2.5.29.15";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string CommonNameOid = "2.5.4.3";
    private const string EmailAddressAttributeOid = "1.2.840.113549.1.9.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    // The DER encoding of the namedCurve OID 1.2.840.10045.3.1.7 (P-256) as it appears in the key parameters.
    private static readonly byte[] P256Parameters = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    private static readonly Asn1Tag Rfc822NameTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);

    private CertificateFacts()
    {
    }

    public DateTime NotBeforeUtc { get; private init; }

    public DateTime NotAfterUtc { get; private init; }

    /// <summary>The serial in the form revocation lists use (<see cref="RevocationList.NormalizeSerial"/>).</summary>
    public string Serial { get; private init; } = string.Empty;

    public bool IsCa { get; private set; }

    /// <summary>The key usage bits, or <see langword="null"/> when the extension is absent.</summary>
    public X509KeyUsageFlags? KeyUsage { get; private set; }

    /// <summary>The extended key usage OIDs, or <see langword="null"/> when the extension is absent.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsage { get; private set; }

    public List<string> DnsNames { get; } = [];

    public List<string> EmailAddresses { get; } = [];

    public List<string> CommonNames { get; } = [];

    /// <summary>PKCS#9 emailAddress attributes of the subject (deprecated by RFC 5280, still written by openssl recipes).</summary>
    public List<string> SubjectEmailAddresses { get; } = [];

    /// <summary>Why the public key is not acceptable, or <see langword="null"/> when it is.</summary>
    public string? KeyProblem { get; private init; }

    /// <summary>Decodes the certificate; returns <see langword="null"/> with a reason when any part is malformed.</summary>
    public static CertificateFacts? TryRead(X509Certificate2 certificate, out string problem) =>
        TryRead(
            () => new CertificateFacts
            {
                NotBeforeUtc = certificate.NotBefore.ToUniversalTime(),
                NotAfterUtc = certificate.NotAfter.ToUniversalTime(),
                Serial = RevocationList.NormalizeSerial(certificate.SerialNumber),
                KeyProblem = DescribeKeyProblem(certificate.PublicKey),
            },
            certificate.SubjectName,
            certificate.Extensions,
            out problem);

    /// <summary>Decodes the subject, requested extensions and key of a signing request the same way; dates and serial
    /// stay empty.</summary>
    public static CertificateFacts? TryRead(
        X500DistinguishedName subject, IEnumerable<X509Extension> extensions, PublicKey key, out string problem) =>
        TryRead(() => new CertificateFacts { KeyProblem = DescribeKeyProblem(key) }, subject, extensions, out problem);

    /// <summary>Why a public key is not acceptable (protocol §2: RSA 2048–16384 bits or ECDSA P-256), or
    /// <see langword="null"/> when it is.</summary>
    public static string? DescribeKeyProblem(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case RsaOid:
                using (var rsa = key.GetRSAPublicKey() ?? throw new CryptographicException("No RSA key."))
                {
                    // The upper bound keeps an attacker from making us verify with an absurdly large modulus.
                    return rsa.KeySize switch
                    {
                        < CertificateValidator.MinimumRsaBits => $"RSA key of {rsa.KeySize} bits is shorter than {CertificateValidator.MinimumRsaBits}",
                        > CertificateValidator.MaximumRsaBits => $"RSA key of {rsa.KeySize} bits is longer than {CertificateValidator.MaximumRsaBits}",
                        _ => null,
                    };
                }

            case EcPublicKeyOid:
                return key.EncodedParameters?.RawData is { } parameters && parameters.AsSpan().SequenceEqual(P256Parameters)
                    ? null
                    : "ECDSA key is not on curve P-256";
            default:
                return $"key algorithm {key.Oid.Value} is not RSA or ECDSA P-256";
        }
    }

    private static CertificateFacts? TryRead(
        Func<CertificateFacts> create, X500DistinguishedName subject, IEnumerable<X509Extension> extensions, out string problem)
    {
        try
        {
            var facts = create();
            facts.ReadSubject(subject);
            if (!facts.ReadExtensions(extensions, out problem))
            {
                return null;
            }

            problem = string.Empty;
            return facts;
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or ArgumentException or FormatException)
        {
            problem = "certificate could not be decoded";
            return null;
        }
    }

    private void ReadSubject(X500DistinguishedName subject)
    {
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            // Multi-valued RDNs are not produced by any tool this project interoperates with; their CN is not used.
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    CommonNames.Add(rdn.GetSingleElementValue() ?? string.Empty);
                    break;
                case EmailAddressAttributeOid:
                    SubjectEmailAddresses.Add(rdn.GetSingleElementValue() ?? string.Empty);
                    break;
                default:
                    break;
            }
        }
    }

    private bool ReadExtensions(IEnumerable<X509Extension> extensions, out string problem)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in extensions)
        {
            var oid = extension.Oid?.Value ?? string.Empty;

            // RFC 5280 §4.2 forbids repeating an extension; different parsers would pick different copies.
            if (!seen.Add(oid))
            {
                problem = $"certificate repeats extension {oid}";
                return false;
            }

            switch (oid)
            {
                case BasicConstraintsOid:
                    IsCa = new X509BasicConstraintsExtension(extension, extension.Critical).CertificateAuthority;
                    break;
                case KeyUsageOid:
                    KeyUsage = new X509KeyUsageExtension(extension, extension.Critical).KeyUsages;
                    break;
                case ExtendedKeyUsageOid:
                    ExtendedKeyUsage = new X509EnhancedKeyUsageExtension(extension, extension.Critical)
                        .EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? string.Empty).ToList();
                    break;
                case SubjectAltNameOid:
                    ReadSubjectAltNames(extension.RawData);
                    break;
                default:
                    break;
            }
        }

        problem = string.Empty;
        return true;
    }

    private void ReadSubjectAltNames(byte[] encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(DnsNameTag))
            {
                DnsNames.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
            }
            else if (tag.HasSameClassAndValue(Rfc822NameTag))
            {
                EmailAddresses.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
    }
}
