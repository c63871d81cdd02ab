using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki</c> verb: creates the Root CA and issues, inspects and revokes certificates.</summary>
internal static class PkiCommands
{
    /// <summary>The directory <c>init</c> writes to and the other verbs read the CA from, unless told otherwise.</summary>
    public const string DefaultDirectory = "pki";

    /// <summary>The CA certificate file name inside a PKI directory.</summary>
    public const string CaCertificateFile = "ca.crt";

    /// <summary>The CA private key file name inside a PKI directory.</summary>
    public const string CaKeyFile = "ca.key";

    /// <summary>The revocation list file name inside a PKI directory; the server reads it at start-up.</summary>
    public const string RevocationFile = "revoked.txt";

    /// <summary>How long a leaf certificate is valid unless <c>--days</c> says otherwise.</summary>
    public const int DefaultLeafDays = 365;

    /// <summary>The key type of a new key unless <c>--key</c> says otherwise.</summary>
    public const string DefaultKey = "rsa2048";

    /// <summary>The key types <c>--key</c> accepts, by their command-line names.</summary>
    public static readonly IReadOnlyDictionary<string, KeyKind> KeyKinds = new Dictionary<string, KeyKind>(StringComparer.Ordinal)
    {
        ["rsa2048"] = KeyKind.Rsa2048,
        ["rsa3072"] = KeyKind.Rsa3072,
        ["p256"] = KeyKind.EcdsaP256,
    };

    // Leaves are backdated a little so a peer whose clock runs slightly behind still accepts them.
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>Builds the command with its sub-verbs.</summary>
    public static Command Create()
    {
        var command = new Command(
            "pki",
            "Create and manage the certificates SecureChat trusts: a Root CA, server, client and per-user certificates.");
        command.Subcommands.Add(PkiInitCommand.Create());
        command.Subcommands.Add(PkiIssueCommand.Create());
        command.Subcommands.Add(PkiRequestCommand.Create());
        command.Subcommands.Add(PkiSignCommand.Create());
        command.Subcommands.Add(PkiShowCommand.Create());
        command.Subcommands.Add(PkiRevokeCommand.Create());
        return command;
    }

    /// <summary>The <c>--pki DIR</c> option of the verbs that use an existing CA.</summary>
    public static Option<string> PkiDirectoryOption() => new("--pki")
    {
        Description = "Directory holding ca.crt and ca.key (as written by 'pki init').",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultDirectory,
    };

    /// <summary>The <c>--force</c> option of the verbs that write files.</summary>
    public static Option<bool> ForceOption(string description) => new("--force") { Description = description };

    /// <summary>The <c>--days N</c> option for the validity of a leaf certificate.</summary>
    public static Option<int> DaysOption(string description) => new("--days")
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => DefaultLeafDays,
    };

    /// <summary>The <c>--key</c> option: the type of a newly generated key.</summary>
    public static Option<string> KeyOption(string description)
    {
        var key = new Option<string>("--key") { Description = description, DefaultValueFactory = _ => DefaultKey };
        key.AcceptOnlyFromAmong([.. KeyKinds.Keys]);
        return key;
    }

    /// <summary>The current time in whole seconds, the precision certificates store.</summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>The validity period of a new leaf certificate starting now.</summary>
    /// <exception cref="ArgumentException"><paramref name="days"/> is not positive.</exception>
    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) LeafValidity(DateTimeOffset now, int days)
    {
        if (days < 1)
        {
            throw new ArgumentException($"--days must be a positive number of days, not {days}.");
        }

        return (now - ClockSkewAllowance, now.AddDays(days));
    }

    /// <summary>Refuses to go on when any of <paramref name="paths"/> exists, unless <paramref name="force"/> is set.</summary>
    /// <exception cref="PkiException">A file exists and overwriting was not asked for.</exception>
    public static void RefuseToOverwrite(IEnumerable<string> paths, bool force)
    {
        if (force)
        {
            return;
        }

        if (paths.FirstOrDefault(p => File.Exists(p) || Directory.Exists(p)) is { } existing)
        {
            throw new PkiException($"'{existing}' already exists; pass --force to overwrite it.");
        }
    }

    /// <summary>Creates <paramref name="directory"/> if needed, with an error sentence that names it.</summary>
    /// <exception cref="PkiException">The directory cannot be created.</exception>
    public static void EnsureDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PkiException($"The directory '{directory}' cannot be created: {e.Message}", e);
        }
    }

    /// <summary>Fails with a hint to run <c>pki init</c> when the PKI directory does not exist.</summary>
    /// <exception cref="PkiException">The directory does not exist.</exception>
    public static void RequirePkiDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new PkiException(
                $"The PKI directory '{directory}' does not exist; create it with 'securechat pki init' or point --pki at it.");
        }
    }

    /// <summary>Loads the CA certificate and key of a PKI directory and checks that they can sign a leaf valid until
    /// <paramref name="notAfter"/>.</summary>
    /// <exception cref="PkiException">The directory or a file is missing or unusable, the certificate is not a CA, or it expired.</exception>
    /// <exception cref="ArgumentException">A leaf of <paramref name="days"/> days would outlive the CA.</exception>
    public static X509Certificate2 LoadCa(string directory, DateTimeOffset now, DateTimeOffset notAfter, int days)
    {
        RequirePkiDirectory(directory);
        var certificatePath = Path.Combine(directory, CaCertificateFile);
        var keyPath = Path.Combine(directory, CaKeyFile);
        var ca = Load(() => PemFiles.LoadCertificateWithKey(certificatePath, keyPath), certificatePath, keyPath);
        try
        {
            CheckCa(ca, certificatePath, now, notAfter, days);
            return ca;
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    /// <summary>The SHA-256 of a public key (SubjectPublicKeyInfo) as colon-separated hex, the same on the user's
    /// request and on the certificate, so both sides can compare it over another channel.</summary>
    public static string KeyFingerprint(PublicKey key) =>
        string.Join(':', SHA256.HashData(key.ExportSubjectPublicKeyInfo()).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    /// <summary>Runs a <see cref="PemFiles"/> loader on user-supplied paths, first turning the mistakes its messages
    /// describe poorly (a directory, a pipe) into one clear sentence.</summary>
    /// <exception cref="PkiException">A path is a directory or not a regular file, or the loader refused the file.</exception>
    public static T Load<T>(Func<T> load, params string[] paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                throw new PkiException($"'{path}' is a directory, not a PEM file.");
            }
        }

        try
        {
            return load();
        }
        catch (NotSupportedException e)
        {
            // PkiFile asks for the length first, which a pipe or a character device cannot tell.
            throw new PkiException($"'{string.Join("' or '", paths)}' is not a regular file; save the PEM text to a file first.", e);
        }
    }

    /// <summary>Writes a certificate and its private key (PKCS#8, mode 0600); the key goes first so a certificate
    /// never exists on disk without its key.</summary>
    public static void SaveWithKey(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The new certificate has no RSA or ECDSA private key.");
        PemFiles.SavePrivateKey(keyPath, key);
        PemFiles.SaveCertificate(certificatePath, certificate);
    }

    /// <summary>Prints the short account of a certificate just written: file, subject, what it is for, key,
    /// expiry and SHA-256 fingerprint.</summary>
    public static void PrintWritten(TextWriter output, string path, X509Certificate2 certificate, string purpose, int width)
    {
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{certificate.Subject} ({purpose}, {PkiCertificateReport.DescribeKey(certificate)}, until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})");
        output.WriteLine($"  {path.PadRight(width)}  {summary}");
        output.WriteLine($"  {string.Empty.PadRight(width)}  SHA-256 {PkiCertificateReport.Fingerprint(certificate)}");
    }

    /// <summary>Prints the line for a private key just written.</summary>
    public static void PrintKeyWritten(TextWriter output, string path, int width) =>
        output.WriteLine($"  {path.PadRight(width)}  private key (PKCS#8, mode 0600)");

    // CertificateAuthority checks these too, but its messages speak of parameters; these speak of the files and flags.
    private static void CheckCa(X509Certificate2 ca, string path, DateTimeOffset now, DateTimeOffset notAfter, int days)
    {
        if (ca.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: false })
        {
            throw new PkiException($"The certificate '{path}' is not a CA certificate (its basic constraints say CA:FALSE).");
        }

        var caNotAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        if (caNotAfter <= now)
        {
            throw new PkiException($"The CA certificate '{path}' expired on {Day(caNotAfter)}; create a new PKI with 'securechat pki init'.");
        }

        if (notAfter > caNotAfter)
        {
            throw new ArgumentException(
                $"A certificate valid for {days} days would outlive the CA, which expires on {Day(caNotAfter)}; "
                + $"choose --days {Math.Max(1, (caNotAfter - now).Days)} or fewer.");
        }
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
