using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.TestSupport;

/// <summary>A complete test PKI built in memory: a Root CA, good leaves and one certificate for every way a peer
/// certificate can be wrong. No private key is ever stored in the repository.</summary>
/// <remarks>Each certificate (and its key) is made on first use and shared by every test in the process; do not
/// dispose them. Validity is relative to <see cref="Now"/>, the moment this type was first used, so good
/// certificates stay valid for a year of test run time.</remarks>
public static class TestPki
{
    /// <summary>The default server name (protocol §6).</summary>
    public const string ServerName = "server.local";

    /// <summary>The default client name (protocol §6).</summary>
    public const string ClientName = "client.local";

    /// <summary>The e-mail address of the per-user certificate <see cref="User"/>.</summary>
    public const string UserEmail = "alice@example.com";

    /// <summary>The subject CN of the Root CA; the foreign CA deliberately uses the same one.</summary>
    public const string RootName = "SecureChat Test Root CA";

    private static readonly Lazy<X509Certificate2> LazyRootWithKey = new(() =>
        CertificateAuthority.CreateRoot(RootName, KeyKind.Rsa2048, Now.AddYears(-2), Now.AddYears(10)));

    private static readonly Lazy<X509Certificate2> LazyRoot = new(() =>
        X509CertificateLoader.LoadCertificate(RootWithKey.RawData));

    private static readonly Lazy<X509Certificate2> LazyOtherRoot = new(() =>
        CertificateAuthority.CreateRoot(RootName, KeyKind.Rsa2048, Now.AddYears(-2), Now.AddYears(10)));

    private static readonly Lazy<X509Certificate2> LazyServer = Leaf(CertificateRole.Server, ServerName);
    private static readonly Lazy<X509Certificate2> LazyClient = Leaf(CertificateRole.Client, ClientName);
    private static readonly Lazy<X509Certificate2> LazyUser = Leaf(CertificateRole.User, UserEmail);
    private static readonly Lazy<X509Certificate2> LazyEcdsaServer = Leaf(CertificateRole.Server, ServerName, KeyKind.EcdsaP256);
    private static readonly Lazy<X509Certificate2> LazyRevoked = Leaf(CertificateRole.Server, ServerName);
    private static readonly Lazy<X509Certificate2> LazyWrongName = Leaf(CertificateRole.Server, "evil.local");

    // The name is right and only the extended key usage is wrong, so the failure can only be WrongUsage.
    private static readonly Lazy<X509Certificate2> LazyServerAuthOnlyClient = Leaf(CertificateRole.Server, ClientName);
    private static readonly Lazy<X509Certificate2> LazyClientAuthOnlyServer = Leaf(CertificateRole.Client, ServerName);

    private static readonly Lazy<X509Certificate2> LazyExpired = new(() => CertificateAuthority.Issue(
        RootWithKey, CertificateRole.Server, ServerName, KeyKind.Rsa2048, Now.AddDays(-60), Now.AddDays(-30)));

    private static readonly Lazy<X509Certificate2> LazyNotYetValid = new(() => CertificateAuthority.Issue(
        RootWithKey, CertificateRole.Server, ServerName, KeyKind.Rsa2048, Now.AddDays(30), Now.AddDays(60)));

    private static readonly Lazy<X509Certificate2> LazyOtherCa = new(() => CertificateAuthority.Issue(
        OtherRoot, CertificateRole.Server, ServerName, KeyKind.Rsa2048, Now.AddDays(-1), Now.AddYears(1)));

    private static readonly Lazy<X509Certificate2> LazyRsa1024 = new(() => IssueForKey(RSA.Create(1024)));

    private static readonly Lazy<X509Certificate2> LazyEcdsaP384 = new(() => IssueForKey(ECDsa.Create(ECCurve.NamedCurves.nistP384)));

    private static readonly Lazy<X509Certificate2> LazySelfSignedLeaf = new(BuildSelfSignedLeaf);

    private static readonly Lazy<X509Certificate2> LazyCaAsLeaf = new(BuildCaAsLeaf);

    private static readonly Lazy<X509Certificate2> LazyNoDigitalSignature = new(BuildNoDigitalSignature);

    private static readonly Lazy<X509Certificate2> LazyNoExtensions = new(BuildNoExtensions);

    /// <summary>The reference time of every validity period, whole seconds in UTC.</summary>
    public static DateTimeOffset Now { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>The Root CA certificate without its private key: the trust anchor to configure.</summary>
    public static X509Certificate2 Root => LazyRoot.Value;

    /// <summary>The Root CA certificate with its private key, for issuing more certificates in a test.</summary>
    public static X509Certificate2 RootWithKey => LazyRootWithKey.Value;

    /// <summary>A foreign root CA with the same subject name as <see cref="Root"/> but another key.</summary>
    public static X509Certificate2 OtherRoot => LazyOtherRoot.Value;

    /// <summary>A valid RSA-2048 server certificate for <see cref="ServerName"/>.</summary>
    public static X509Certificate2 Server => LazyServer.Value;

    /// <summary>A valid RSA-2048 client certificate for <see cref="ClientName"/>.</summary>
    public static X509Certificate2 Client => LazyClient.Value;

    /// <summary>A valid per-user certificate: CN and rfc822Name are <see cref="UserEmail"/>, EKU clientAuth.</summary>
    public static X509Certificate2 User => LazyUser.Value;

    /// <summary>A valid ECDSA P-256 server certificate for <see cref="ServerName"/>.</summary>
    public static X509Certificate2 EcdsaServer => LazyEcdsaServer.Value;

    /// <summary>A server certificate for <see cref="ServerName"/> that expired 30 days before <see cref="Now"/>.</summary>
    public static X509Certificate2 Expired => LazyExpired.Value;

    /// <summary>A server certificate for <see cref="ServerName"/> that becomes valid 30 days after <see cref="Now"/>.</summary>
    public static X509Certificate2 NotYetValid => LazyNotYetValid.Value;

    /// <summary>A self-signed leaf for <see cref="ServerName"/> with server extensions.</summary>
    public static X509Certificate2 SelfSignedLeaf => LazySelfSignedLeaf.Value;

    /// <summary>A server certificate for <see cref="ServerName"/> issued by <see cref="OtherRoot"/>.</summary>
    public static X509Certificate2 IssuedByOtherCa => LazyOtherCa.Value;

    /// <summary>An intermediate CA certificate (CA:true) issued by the root, with CN <see cref="ServerName"/>.</summary>
    public static X509Certificate2 CaAsLeaf => LazyCaAsLeaf.Value;

    /// <summary>A certificate for <see cref="ClientName"/> whose EKU is serverAuth only (wrong when presented as a client).</summary>
    public static X509Certificate2 ServerAuthOnlyAsClient => LazyServerAuthOnlyClient.Value;

    /// <summary>A certificate for <see cref="ServerName"/> whose EKU is clientAuth only (wrong when presented as a server).</summary>
    public static X509Certificate2 ClientAuthOnlyAsServer => LazyClientAuthOnlyServer.Value;

    /// <summary>A server certificate whose key usage lacks digitalSignature.</summary>
    public static X509Certificate2 NoDigitalSignature => LazyNoDigitalSignature.Value;

    /// <summary>A valid server certificate issued to <c>evil.local</c>.</summary>
    public static X509Certificate2 WrongName => LazyWrongName.Value;

    /// <summary>A server certificate for <see cref="ServerName"/> with an RSA-1024 key.</summary>
    public static X509Certificate2 Rsa1024 => LazyRsa1024.Value;

    /// <summary>A server certificate for <see cref="ServerName"/> with an ECDSA P-384 key (not in the suite).</summary>
    public static X509Certificate2 EcdsaP384 => LazyEcdsaP384.Value;

    /// <summary>A client certificate for <see cref="ClientName"/> without any extension, as plain openssl makes them.</summary>
    public static X509Certificate2 NoExtensions => LazyNoExtensions.Value;

    /// <summary>A valid server certificate for <see cref="ServerName"/> whose serial is <see cref="RevokedSerial"/>.</summary>
    public static X509Certificate2 Revoked => LazyRevoked.Value;

    /// <summary>The serial of <see cref="Revoked"/>, uppercase hex without separators.</summary>
    public static string RevokedSerial => Revoked.SerialNumber;

    /// <summary>A Root CA valid from ten days to one day before <see cref="Now"/> (so expired now), without its key, and a
    /// server leaf for <see cref="ServerName"/> it issued, valid five days either side of <see cref="Now"/>: the leaf is
    /// good two days ago and fails now only because its issuer has expired. The caller disposes both.</summary>
    public static (X509Certificate2 Root, X509Certificate2 Leaf) ShortLivedCaAndLeaf()
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Short-lived CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(Now.AddDays(-10), Now.AddDays(-1));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest($"CN={ServerName}", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var leaf = leafRequest.Create(
            root.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
            Now.AddDays(-5), Now.AddDays(5), CertificateAuthority.NewSerialNumber());
        return (X509CertificateLoader.LoadCertificate(root.RawData), leaf);
    }

    /// <summary>A policy that expects a server, trusts <see cref="Root"/> and lists <see cref="RevokedSerial"/>.</summary>
    public static CertificatePolicy ServerPolicy(string? expectedName = ServerName) => Policy(ExpectedPeer.Server, expectedName);

    /// <summary>A policy that expects a client, trusts <see cref="Root"/> and lists <see cref="RevokedSerial"/>.</summary>
    public static CertificatePolicy ClientPolicy(string? expectedName = ClientName) => Policy(ExpectedPeer.Client, expectedName);

    /// <summary>A policy for the given peer, trusting <see cref="Root"/> and listing <see cref="RevokedSerial"/>.</summary>
    public static CertificatePolicy Policy(ExpectedPeer peer, string? expectedName) => new()
    {
        Root = Root,
        Peer = peer,
        ExpectedName = expectedName,
        RevokedSerials = new HashSet<string>(StringComparer.Ordinal) { RevokedSerial },
    };

    /// <summary>Returns a new handle to the certificate's private key (RSA or ECDSA); the caller disposes it.</summary>
    public static AsymmetricAlgorithm PrivateKeyOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA or ECDSA private key.", nameof(certificate));
    }

    /// <summary>Writes the root, server and client certificates and keys as PEM files into <paramref name="directory"/>,
    /// for tests that start real processes.</summary>
    public static TestPkiFiles WriteFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var files = new TestPkiFiles(
            Path.Combine(directory, "ca.crt"),
            Path.Combine(directory, "server.crt"),
            Path.Combine(directory, "server.key"),
            Path.Combine(directory, "client.crt"),
            Path.Combine(directory, "client.key"));
        PemFiles.SaveCertificate(files.CaCertificate, Root);
        Save(Server, files.ServerCertificate, files.ServerKey);
        Save(Client, files.ClientCertificate, files.ClientKey);
        return files;
    }

    private static void Save(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        PemFiles.SaveCertificate(certificatePath, certificate);
        using var key = PrivateKeyOf(certificate);
        PemFiles.SavePrivateKey(keyPath, key);
    }

    private static Lazy<X509Certificate2> Leaf(CertificateRole role, string name, KeyKind key = KeyKind.Rsa2048) =>
        new(() => CertificateAuthority.Issue(RootWithKey, role, name, key, Now.AddDays(-1), Now.AddYears(1)));

    private static X509Certificate2 IssueForKey(AsymmetricAlgorithm key)
    {
        using (key)
        {
            return CertificateAuthority.Issue(RootWithKey, CertificateRole.Server, ServerName, key, Now.AddDays(-1), Now.AddYears(1));
        }
    }

    private static X509Certificate2 BuildSelfSignedLeaf()
    {
        using var key = RSA.Create(2048);
        var request = Request(ServerName, key);
        AddServerExtensions(request, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
        return request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
    }

    private static X509Certificate2 BuildCaAsLeaf()
    {
        using var key = RSA.Create(2048);
        var request = Request(ServerName, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        return SignWithRoot(request, key);
    }

    private static X509Certificate2 BuildNoDigitalSignature()
    {
        using var key = RSA.Create(2048);
        var request = Request(ServerName, key);
        AddServerExtensions(request, X509KeyUsageFlags.KeyEncipherment);
        return SignWithRoot(request, key);
    }

    private static X509Certificate2 BuildNoExtensions()
    {
        using var key = RSA.Create(2048);
        return SignWithRoot(Request(ClientName, key), key);
    }

    private static CertificateRequest Request(string commonName, RSA key) =>
        new($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static void AddServerExtensions(CertificateRequest request, X509KeyUsageFlags usage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServerName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
    }

    private static X509Certificate2 SignWithRoot(CertificateRequest request, RSA key)
    {
        using var rootKey = RootWithKey.GetRSAPrivateKey()!;
        var generator = X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(
            RootWithKey.SubjectName, generator, Now.AddDays(-1), Now.AddYears(1), CertificateAuthority.NewSerialNumber());
        return certificate.CopyWithPrivateKey(key);
    }
}

/// <summary>Paths of the PEM files written by <see cref="TestPki.WriteFiles"/>.</summary>
public sealed record TestPkiFiles(
    string CaCertificate, string ServerCertificate, string ServerKey, string ClientCertificate, string ClientKey);
