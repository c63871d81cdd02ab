using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>What <c>pki show</c> tells about a certificate; the table and the JSON are both made from it.</summary>
/// <remarks>Built without throwing for any certificate the loader accepted: an extension that cannot be decoded is
/// reported as malformed instead, because <c>show</c> is the tool for looking at suspicious files.</remarks>
internal sealed record PkiCertificateReport(
    string File,
    string Subject,
    string Issuer,
    string Serial,
    DateTime NotBefore,
    DateTime NotAfter,
    bool Expired,
    bool NotYetValid,
    IReadOnlyList<string> SubjectAlternativeNames,
    PkiKeyReport Key,
    string SignatureAlgorithm,
    PkiBasicConstraintsReport? BasicConstraints,
    PkiUsageReport? KeyUsage,
    PkiUsageReport? ExtendedKeyUsage,
    string Sha256Fingerprint)
{
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string KeyUsageOid = "2.5.29.15";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string Malformed = "(malformed)";

    private static readonly Dictionary<string, string> ExtendedUsageNames = new(StringComparer.Ordinal)
    {
        ["1.3.6.1.5.5.7.3.1"] = "serverAuth",
        ["1.3.6.1.5.5.7.3.2"] = "clientAuth",
        ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
        ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
        ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        ["2.5.29.37.0"] = "anyExtendedKeyUsage",
    };

    private static readonly (X509KeyUsageFlags Flag, string Name)[] KeyUsageNames =
    [
        (X509KeyUsageFlags.DigitalSignature, "digitalSignature"),
        (X509KeyUsageFlags.NonRepudiation, "nonRepudiation"),
        (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"),
        (X509KeyUsageFlags.DataEncipherment, "dataEncipherment"),
        (X509KeyUsageFlags.KeyAgreement, "keyAgreement"),
        (X509KeyUsageFlags.KeyCertSign, "keyCertSign"),
        (X509KeyUsageFlags.CrlSign, "cRLSign"),
        (X509KeyUsageFlags.EncipherOnly, "encipherOnly"),
        (X509KeyUsageFlags.DecipherOnly, "decipherOnly"),
    ];

    private static readonly Dictionary<string, string> CurveNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.7"] = "P-256",
        ["1.3.132.0.34"] = "P-384",
        ["1.3.132.0.35"] = "P-521",
    };

    private static readonly Asn1Tag Rfc822NameTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IpAddressTag = new(TagClass.ContextSpecific, 7);

    /// <summary>Describes <paramref name="certificate"/>, judging its validity at <paramref name="now"/>.</summary>
    public static PkiCertificateReport Create(string file, X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = certificate.NotBefore.ToUniversalTime();
        var notAfter = certificate.NotAfter.ToUniversalTime();
        var extensions = certificate.Extensions;
        return new PkiCertificateReport(
            file,
            certificate.Subject,
            certificate.Issuer,
            RevocableSerial(certificate) ?? certificate.SerialNumber,
            notBefore,
            notAfter,
            now.UtcDateTime > notAfter,
            now.UtcDateTime < notBefore,
            SubjectAlternativeNamesOf(extensions[SubjectAltNameOid]),
            KeyOf(certificate),
            certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            BasicConstraintsOf(extensions[BasicConstraintsOid]),
            KeyUsageOf(extensions[KeyUsageOid]),
            ExtendedKeyUsageOf(extensions[ExtendedKeyUsageOid]),
            Fingerprint(certificate));
    }

    /// <summary>The serial in the form revocation lists use, or <see langword="null"/> when it is too long to be listed
    /// (RFC 5280 allows 20 bytes; a decoder accepts more).</summary>
    public static string? RevocableSerial(X509Certificate2 certificate)
    {
        try
        {
            return RevocationList.NormalizeSerial(certificate.SerialNumber);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The SHA-256 fingerprint as colon-separated uppercase hex, the way <c>openssl x509 -fingerprint</c> prints it.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    /// <summary>The public key in a few words, for example <c>RSA 2048 bits</c> or <c>ECDSA P-256</c>.</summary>
    public static string DescribeKey(X509Certificate2 certificate) => KeyOf(certificate).ToString();

    private static PkiKeyReport KeyOf(X509Certificate2 certificate)
    {
        try
        {
            if (certificate.GetRSAPublicKey() is { } rsa)
            {
                using (rsa)
                {
                    return new PkiKeyReport("RSA", rsa.KeySize, null);
                }
            }

            if (certificate.GetECDsaPublicKey() is { } ecdsa)
            {
                using (ecdsa)
                {
                    var oid = ecdsa.ExportParameters(false).Curve.Oid;
                    var curve = oid.Value is { } value && CurveNames.TryGetValue(value, out var name)
                        ? name
                        : oid.FriendlyName ?? oid.Value ?? "unknown curve";
                    return new PkiKeyReport("ECDSA", ecdsa.KeySize, curve);
                }
            }
        }
        catch (CryptographicException)
        {
            // A key the platform cannot import is still worth showing by its algorithm OID below.
        }

        var algorithm = certificate.PublicKey.Oid;
        return new PkiKeyReport(algorithm.FriendlyName ?? algorithm.Value ?? "unknown", null, null);
    }

    private static IReadOnlyList<string> SubjectAlternativeNamesOf(X509Extension? extension)
    {
        if (extension is null)
        {
            return [];
        }

        var names = new List<string>();
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (sequence.HasData)
            {
                names.Add(ReadGeneralName(sequence));
            }
        }
        catch (AsnContentException)
        {
            names.Add(Malformed);
        }

        return names;
    }

    // Only the forms SecureChat and openssl commonly write get a prefix; anything else is named by its tag.
    private static string ReadGeneralName(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(DnsNameTag))
        {
            return "DNS:" + reader.ReadCharacterString(UniversalTagNumber.IA5String, tag);
        }

        if (tag.HasSameClassAndValue(Rfc822NameTag))
        {
            return "email:" + reader.ReadCharacterString(UniversalTagNumber.IA5String, tag);
        }

        if (tag.HasSameClassAndValue(UriTag))
        {
            return "URI:" + reader.ReadCharacterString(UniversalTagNumber.IA5String, tag);
        }

        if (tag.HasSameClassAndValue(IpAddressTag))
        {
            var bytes = reader.ReadOctetString(tag);
            return bytes.Length is 4 or 16 ? "IP:" + new IPAddress(bytes) : "IP:" + Malformed;
        }

        reader.ReadEncodedValue();
        return $"other:[{tag.TagValue}]";
    }

    private static PkiBasicConstraintsReport? BasicConstraintsOf(X509Extension? extension)
    {
        if (extension is null)
        {
            return null;
        }

        try
        {
            var constraints = new X509BasicConstraintsExtension(extension, extension.Critical);
            return new PkiBasicConstraintsReport(
                extension.Critical,
                constraints.CertificateAuthority,
                constraints.HasPathLengthConstraint ? constraints.PathLengthConstraint : null,
                Malformed: false);
        }
        catch (CryptographicException)
        {
            return new PkiBasicConstraintsReport(extension.Critical, false, null, Malformed: true);
        }
    }

    private static PkiUsageReport? KeyUsageOf(X509Extension? extension)
    {
        if (extension is null)
        {
            return null;
        }

        try
        {
            var flags = new X509KeyUsageExtension(extension, extension.Critical).KeyUsages;
            return new PkiUsageReport(extension.Critical, KeyUsageNames.Where(u => flags.HasFlag(u.Flag)).Select(u => u.Name).ToList());
        }
        catch (CryptographicException)
        {
            return new PkiUsageReport(extension.Critical, [Malformed]);
        }
    }

    private static PkiUsageReport? ExtendedKeyUsageOf(X509Extension? extension)
    {
        if (extension is null)
        {
            return null;
        }

        try
        {
            var usages = new X509EnhancedKeyUsageExtension(extension, extension.Critical).EnhancedKeyUsages
                .Cast<Oid>()
                .Select(o => o.Value ?? "unknown")
                .Select(v => ExtendedUsageNames.TryGetValue(v, out var name) ? name : v)
                .ToList();
            return new PkiUsageReport(extension.Critical, usages);
        }
        catch (CryptographicException)
        {
            return new PkiUsageReport(extension.Critical, [Malformed]);
        }
    }
}

/// <summary>The public key of a certificate: its algorithm, size in bits and, for ECDSA, the curve.</summary>
internal sealed record PkiKeyReport(string Algorithm, int? Bits, string? Curve)
{
    /// <summary>The key in a few words, for example <c>RSA 2048 bits</c> or <c>ECDSA P-256</c>.</summary>
    public override string ToString() => (Curve, Bits) switch
    {
        ({ } curve, _) => $"{Algorithm} {curve}",
        (null, { } bits) => $"{Algorithm} {bits} bits",
        _ => Algorithm,
    };
}

/// <summary>The basic constraints extension: whether the certificate is a CA and how deep its chain may go.</summary>
internal sealed record PkiBasicConstraintsReport(bool Critical, bool CertificateAuthority, int? PathLength, bool Malformed);

/// <summary>A key usage or extended key usage extension: its usages by name and whether it is critical.</summary>
internal sealed record PkiUsageReport(bool Critical, IReadOnlyList<string> Usages);

/// <summary>Source-generated JSON for <c>pki show --json</c>, so no reflection is needed at run time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PkiCertificateReport))]
internal sealed partial class PkiJsonContext : JsonSerializerContext;
