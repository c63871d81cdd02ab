using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Benchmarks.Infrastructure;

/// <summary>A Root CA and RSA-2048 leaves made in memory once per benchmark process, shaped as protocol §6 expects
/// them, so that every benchmark validates and signs with the same kind of certificate as production.</summary>
/// <remarks>BenchmarkDotNet runs each benchmark in its own process, so "once" means once per benchmark case.</remarks>
internal static class BenchPki
{
    /// <summary>The default server name (protocol §6).</summary>
    public const string ServerName = "server.local";

    /// <summary>The default client name (protocol §6).</summary>
    public const string ClientName = "client.local";

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static readonly Lazy<X509Certificate2> LazyRootWithKey = new(() =>
        CertificateAuthority.CreateRoot("SecureChat Benchmark Root CA", KeyKind.Rsa2048, Now.AddDays(-2), Now.AddYears(2)));

    private static readonly Lazy<X509Certificate2> LazyRoot = new(() => X509CertificateLoader.LoadCertificate(LazyRootWithKey.Value.RawData));

    private static readonly Lazy<X509Certificate2> LazyServer = new(() => Issue(CertificateRole.Server, ServerName));

    private static readonly Lazy<X509Certificate2> LazyClient = new(() => Issue(CertificateRole.Client, ClientName));

    /// <summary>The Root CA certificate without its key: the trust anchor.</summary>
    public static X509Certificate2 Root => LazyRoot.Value;

    /// <summary>An RSA-2048 server certificate for <see cref="ServerName"/>, with its private key.</summary>
    public static X509Certificate2 Server => LazyServer.Value;

    /// <summary>An RSA-2048 client certificate for <see cref="ClientName"/>, with its private key.</summary>
    public static X509Certificate2 Client => LazyClient.Value;

    /// <summary>The validator a client uses for the server's certificate.</summary>
    public static CertificateValidator ServerValidator() =>
        new(new CertificatePolicy { Root = Root, Peer = ExpectedPeer.Server, ExpectedName = ServerName });

    /// <summary>The validator a server uses for a client's certificate.</summary>
    public static CertificateValidator ClientValidator() =>
        new(new CertificatePolicy { Root = Root, Peer = ExpectedPeer.Client, ExpectedName = ClientName });

    private static X509Certificate2 Issue(CertificateRole role, string name) =>
        CertificateAuthority.Issue(LazyRootWithKey.Value, role, name, KeyKind.Rsa2048, Now.AddDays(-1), Now.AddYears(1));
}
