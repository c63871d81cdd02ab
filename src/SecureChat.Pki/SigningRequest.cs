using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureChat.Pki;

/// <summary>A PKCS#10 certificate signing request whose self-signature has been verified: proof that whoever made
/// it holds the private key of <see cref="PublicKey"/>, with the names it asks for.</summary>
/// <remarks>Nothing of the request but its public key ever reaches a certificate: the CA builds the names and
/// extensions itself (<see cref="CertificateAuthority.SignUserRequest"/>). The requested extensions are decoded only
/// to refuse a request that asks for something a user must not have.</remarks>
public sealed class SigningRequest
{
    private const string Label = "CERTIFICATE REQUEST";
    private const string LegacyLabel = "NEW CERTIFICATE REQUEST";

    private readonly CertificateFacts _facts;

    private SigningRequest(PublicKey publicKey, X500DistinguishedName subject, CertificateFacts facts)
    {
        PublicKey = publicKey;
        Subject = subject;
        _facts = facts;
    }

    /// <summary>The public key the request was signed with; the only part a certificate takes from it.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The subject the request asks for, shown to the operator; never copied into a certificate.</summary>
    public X500DistinguishedName Subject { get; }

    /// <summary>Every name the request carries that could name a user, in order: subject CNs, subject emailAddress
    /// attributes, rfc822Name subjectAltNames.</summary>
    public IReadOnlyList<string> Names => [.. _facts.CommonNames, .. _facts.SubjectEmailAddresses, .. _facts.EmailAddresses];

    /// <summary>Makes the request a user sends to the CA: subject CN and an rfc822Name subjectAltName are
    /// <paramref name="email"/>, signed with SHA-256 by <paramref name="key"/> (RSA PKCS#1 v1.5, as the CA signs, or ECDSA).</summary>
    /// <returns>The DER encoding of the request.</returns>
    public static byte[] Create(string email, AsymmetricAlgorithm key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentNullException.ThrowIfNull(key);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(email);
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject.Build(), ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(key)),
        };
        var names = new SubjectAlternativeNameBuilder();
        names.AddEmailAddress(email);
        request.CertificateExtensions.Add(names.Build(false));
        return request.CreateSigningRequest();
    }

    /// <summary>Writes a request as one PEM <c>CERTIFICATE REQUEST</c> block (mode 0644), replacing the file atomically.</summary>
    public static void Save(string path, ReadOnlySpan<byte> der)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString(Label, der) + "\n");
        PkiFile.WriteAtomically(path, pem, PemFiles.PublicFileMode, "certificate request");
    }

    /// <summary>Loads a request from a file holding exactly one PEM <c>CERTIFICATE REQUEST</c> block and verifies its signature.</summary>
    /// <exception cref="PkiException">The file is missing or unreadable, is not one well-formed request, or its
    /// signature does not verify with its own public key.</exception>
    public static SigningRequest Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = Encoding.UTF8.GetString(PkiFile.Read(path, "certificate request"));
        return Parse(text, $"The certificate request '{path}'");
    }

    /// <summary>Decodes a DER request and verifies its signature.</summary>
    /// <exception cref="PkiException">The bytes are not exactly one request, or its signature does not verify.</exception>
    public static SigningRequest FromDer(ReadOnlySpan<byte> der) => Decode(der, "The certificate request");

    /// <summary>Refuses a request that must not become a user certificate for <paramref name="email"/>: a weak key, a
    /// request to be a CA, no name, or a name other than <paramref name="email"/> (compared ignoring case).</summary>
    /// <exception cref="PkiException">Why the request is refused, in one sentence.</exception>
    public void CheckUser(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        if (_facts.KeyProblem is { } keyProblem)
        {
            throw new PkiException($"The certificate request's key is not acceptable: {keyProblem}.");
        }

        if (_facts.IsCa || (_facts.KeyUsage is { } usage && (usage & (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)) != 0))
        {
            throw new PkiException("The certificate request asks to be a CA (basic constraints CA:TRUE or certificate signing); "
                + "only user certificates are signed.");
        }

        var names = Names;
        if (names.Count == 0)
        {
            throw new PkiException(
                $"The certificate request names no one: it needs CN={Show(email)} or an e-mail subjectAltName {Show(email)}.");
        }

        if (names.FirstOrDefault(n => !string.Equals(n, email, StringComparison.OrdinalIgnoreCase)) is { } other)
        {
            throw new PkiException($"The certificate request is for '{Show(other)}', not '{Show(email)}'.");
        }
    }

    private static SigningRequest Parse(string text, string what)
    {
        var blocks = PemBlocks.Find(text);
        if (blocks.Malformed)
        {
            throw new PkiException($"{what} holds a PEM block that is not well-formed.");
        }

        if (blocks.Blocks.Count != 1 || blocks.Blocks[0].Label is not (Label or LegacyLabel))
        {
            throw new PkiException(blocks.Blocks.Count == 0
                ? $"{what} holds no PEM certificate request."
                : $"{what} holds {blocks.Blocks.Count} PEM block(s) where exactly one CERTIFICATE REQUEST block is expected.");
        }

        return Decode(PemBlocks.Decode(text, blocks.Blocks[0]), what);
    }

    private static SigningRequest Decode(ReadOnlySpan<byte> der, string what)
    {
        // Parsed first without the signature check, so that a broken structure and a bad signature get different reasons.
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(
                der, HashAlgorithmName.SHA256, out var read, CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            if (read != der.Length)
            {
                throw new PkiException($"{what} holds a request followed by unexpected data.");
            }
        }
        catch (CryptographicException e)
        {
            throw new PkiException($"{what} is not a valid PKCS#10 certificate request.", e);
        }

        try
        {
            CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException e)
        {
            throw new PkiException(
                $"{what} has a signature that does not verify with its own public key: it was altered, or not made with that key.", e);
        }

        var facts = CertificateFacts.TryRead(request.SubjectName, request.CertificateExtensions, request.PublicKey, out var problem)
            ?? throw new PkiException($"{what} cannot be used: {problem.Replace("certificate", "request", StringComparison.Ordinal)}.");
        return new SigningRequest(request.PublicKey, request.SubjectName, facts);
    }

    // Names come from whoever made the request: no control characters, not longer than a line.
    private static string Show(string text)
    {
        var shown = new string([.. text.Take(80).Select(c => char.IsControl(c) || c == '\'' ? '?' : c)]);
        return text.Length > 80 ? shown + "…" : shown;
    }
}
