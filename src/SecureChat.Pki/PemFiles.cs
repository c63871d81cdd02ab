using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureChat.Pki;

/// <summary>Reads and writes certificates and private keys as PEM files, the format openssl uses.</summary>
public static class PemFiles
{
    private const string CertificateLabel = "CERTIFICATE";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string RsaLabel = "RSA PRIVATE KEY";
    private const string EcLabel = "EC PRIVATE KEY";
    private const string EncryptedPkcs8Label = "ENCRYPTED PRIVATE KEY";

    internal const UnixFileMode PublicFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Loads a certificate from a file that holds exactly one PEM <c>CERTIFICATE</c> block.</summary>
    /// <exception cref="PkiException">The file is missing, unreadable or does not hold exactly one certificate.</exception>
    public static X509Certificate2 LoadCertificate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = Encoding.UTF8.GetString(PkiFile.Read(path, "certificate"));
        return ParseCertificate(text, out var problem)
            ?? throw new PkiException($"The certificate file '{path}' {problem}.");
    }

    /// <summary>Writes a certificate as one PEM <c>CERTIFICATE</c> block, replacing the file atomically.</summary>
    public static void SaveCertificate(string path, X509Certificate2 certificate)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(certificate);
        var pem = Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n");
        PkiFile.WriteAtomically(path, pem, PublicFileMode, "certificate");
    }

    /// <summary>Loads an unencrypted RSA or ECDSA private key: PKCS#8 (<c>PRIVATE KEY</c>) or the traditional
    /// openssl forms <c>RSA PRIVATE KEY</c> and <c>EC PRIVATE KEY</c>.</summary>
    /// <exception cref="PkiException">The file is missing, unreadable, encrypted or does not hold exactly one key.</exception>
    public static AsymmetricAlgorithm LoadPrivateKey(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = PkiFile.Read(path, "private key");
        var chars = new char[Encoding.UTF8.GetCharCount(bytes)];
        try
        {
            Encoding.UTF8.GetChars(bytes, chars);
            return ParsePrivateKey(chars, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    /// <summary>Writes a private key as unencrypted PKCS#8 PEM into a file that is mode 0600 from the moment it exists.</summary>
    /// <remarks>The key goes to a new temporary file created with O_EXCL and mode 0600, which is then renamed over
    /// <paramref name="path"/>: the key is never readable by others, not even briefly, an existing file of wider mode
    /// is replaced rather than reused, and a symlink planted at the temporary name cannot redirect the write.</remarks>
    public static void SavePrivateKey(string path, AsymmetricAlgorithm key)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(key);
        if (key is not (RSA or ECDsa))
        {
            throw new ArgumentException("Only RSA and ECDSA keys can be saved.", nameof(key));
        }

        var der = key.ExportPkcs8PrivateKey();
        var pem = PemEncoding.Write(Pkcs8Label, der);
        var bytes = new byte[Encoding.ASCII.GetByteCount(pem) + 1];
        try
        {
            Encoding.ASCII.GetBytes(pem, bytes);
            bytes[^1] = (byte)'\n';
            PkiFile.WriteAtomically(path, bytes, PrivateFileMode, "private key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(pem.AsSpan()));
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Loads a certificate and its private key and joins them.</summary>
    /// <exception cref="PkiException">Either file cannot be used, or the key does not belong to the certificate.</exception>
    public static X509Certificate2 LoadCertificateWithKey(string certificatePath, string keyPath)
    {
        using var certificate = LoadCertificate(certificatePath);
        using var key = LoadPrivateKey(keyPath);
        var mismatch = new PkiException(
            $"The private key in '{keyPath}' does not belong to the certificate in '{certificatePath}'.");
        if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw mismatch;
        }

        try
        {
            return key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => throw mismatch,
            };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new PkiException(mismatch.Message, e);
        }
    }

    /// <summary>Parses text that must be exactly one well-formed PEM certificate (surrounding non-PEM text is allowed).</summary>
    /// <returns>The certificate, or <see langword="null"/> for anything else; never throws for bad input.</returns>
    public static X509Certificate2? TryParseCertificate(string pem) => pem is null ? null : ParseCertificate(pem, out _);

    /// <summary>Parses a peer's PEM certificate exactly as strictly as <see cref="TryParseCertificate"/> does, taking
    /// the parsed certificate from <paramref name="cache"/> when the block's DER is one it keeps: equal DER hashes mean
    /// equal bytes, and the cache admits only certificates whose DER is exactly the bytes they were loaded from, which
    /// a strict parse of the same bytes would accept.</summary>
    /// <returns>The certificate (shared when it came from the cache, else owned by the caller), or
    /// <see langword="null"/> for anything <see cref="TryParseCertificate"/> refuses; never throws for bad input.</returns>
    public static ParsedCertificate? TryParsePeerCertificate(string pem, CertificateCache? cache)
    {
        if (pem is null || FindSingleCertificateDer(pem, out _) is not { } der)
        {
            return null;
        }

        if (cache is not null && cache.TryGet(Convert.ToHexStringLower(SHA256.HashData(der)), out var cached))
        {
            return cached;
        }

        var parsed = ParsedCertificate.TryLoad(der);

        // The loader ignores bytes after the DER structure; a well-formed block has none.
        if (parsed is not null && parsed.Certificate.RawDataMemory.Length != der.Length)
        {
            parsed.Dispose();
            return null;
        }

        return parsed;
    }

    private static X509Certificate2? ParseCertificate(ReadOnlySpan<char> text, out string problem)
    {
        if (FindSingleCertificateDer(text, out problem) is not { } der)
        {
            return null;
        }

        try
        {
            var certificate = X509CertificateLoader.LoadCertificate(der);

            // The loader ignores bytes after the DER structure; a well-formed block has none.
            if (certificate.RawData.Length != der.Length)
            {
                certificate.Dispose();
                problem = "holds a certificate followed by unexpected data";
                return null;
            }

            problem = string.Empty;
            return certificate;
        }
        catch (CryptographicException)
        {
            problem = "holds a CERTIFICATE block that is not a valid X.509 certificate";
            return null;
        }
    }

    /// <summary>The DER of the one well-formed CERTIFICATE block in <paramref name="text"/>, or null with a reason.</summary>
    private static byte[]? FindSingleCertificateDer(ReadOnlySpan<char> text, out string problem)
    {
        var blocks = PemBlocks.Find(text);
        if (blocks.Malformed)
        {
            problem = "holds a PEM block that is not well-formed";
            return null;
        }

        if (blocks.Blocks.Count != 1 || blocks.Blocks[0].Label is not CertificateLabel)
        {
            problem = blocks.Blocks.Count == 0
                ? "holds no PEM certificate"
                : $"holds {blocks.Blocks.Count} PEM block(s) where exactly one CERTIFICATE block is expected";
            return null;
        }

        problem = string.Empty;
        return PemBlocks.Decode(text, blocks.Blocks[0]);
    }

    private static AsymmetricAlgorithm ParsePrivateKey(ReadOnlySpan<char> text, string path)
    {
        if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal) || text.Contains(EncryptedPkcs8Label, StringComparison.Ordinal))
        {
            throw new PkiException($"The private key in '{path}' is encrypted; store it unencrypted with mode 0600.");
        }

        var blocks = PemBlocks.Find(text);
        if (blocks.Malformed)
        {
            throw new PkiException($"The private key file '{path}' holds a PEM block that is not well-formed.");
        }

        var keys = blocks.Blocks.Where(b => b.Label is Pkcs8Label or RsaLabel or EcLabel).ToList();
        if (keys.Count != 1)
        {
            throw new PkiException(keys.Count == 0
                ? $"The file '{path}' holds no PEM private key."
                : $"The file '{path}' holds {keys.Count} private keys where exactly one is expected.");
        }

        var label = keys[0].Label;
        var der = PemBlocks.Decode(text, keys[0]);
        try
        {
            return ImportPrivateKey(label, der)
                ?? throw new PkiException($"The private key in '{path}' is not a valid RSA or ECDSA key.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static AsymmetricAlgorithm? ImportPrivateKey(string label, byte[] der)
    {
        // PKCS#8 names its algorithm inside the structure; trying RSA then ECDSA avoids parsing it twice by hand.
        return label switch
        {
            Pkcs8Label => (AsymmetricAlgorithm?)TryImport<RSA>(RSA.Create, static (k, d, out read) => k.ImportPkcs8PrivateKey(d, out read), der)
                ?? TryImport<ECDsa>(ECDsa.Create, static (k, d, out read) => k.ImportPkcs8PrivateKey(d, out read), der),
            RsaLabel => TryImport<RSA>(RSA.Create, static (k, d, out read) => k.ImportRSAPrivateKey(d, out read), der),
            EcLabel => TryImport<ECDsa>(ECDsa.Create, static (k, d, out read) => k.ImportECPrivateKey(d, out read), der),
            _ => null,
        };
    }

    private delegate void KeyImport<in T>(T key, ReadOnlySpan<byte> der, out int bytesRead);

    private static T? TryImport<T>(Func<T> create, KeyImport<T> import, byte[] der)
        where T : AsymmetricAlgorithm
    {
        var key = create();
        try
        {
            // Trailing bytes after the key structure mean the block is not what it claims to be.
            import(key, der, out var bytesRead);
            if (bytesRead == der.Length)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
            // Wrong algorithm or a corrupt structure: the caller tries the next form or reports the key as invalid.
        }

        key.Dispose();
        return null;
    }
}
