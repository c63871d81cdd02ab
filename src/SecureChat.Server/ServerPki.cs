using SecureChat.Pki;
using SecureChat.Protocol;

namespace SecureChat.Server;

/// <summary>The server's certificate, key and client-certificate policy, loaded once at start-up.</summary>
public sealed class ServerPki : IDisposable
{
    private ServerPki(LocalIdentity identity, CertificateValidator clientValidator)
    {
        Identity = identity;
        ClientValidator = clientValidator;
    }

    /// <summary>The server's certificate and signing key.</summary>
    public LocalIdentity Identity { get; }

    /// <summary>Checks client certificates (protocol §6).</summary>
    public CertificateValidator ClientValidator { get; }

    /// <summary>Loads <c>ca.crt</c>, <c>server.crt</c>, <c>server.key</c> and <c>revoked.txt</c> from the PKI folder.</summary>
    /// <exception cref="PkiException">A file is missing, unreadable, malformed or the key does not match.</exception>
    public static ServerPki Load(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = PemFiles.LoadCertificate(Path.Combine(options.Pki, "ca.crt"));
        var certificate = PemFiles.LoadCertificateWithKey(Path.Combine(options.Pki, "server.crt"), Path.Combine(options.Pki, "server.key"));
        var policy = new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Client,
            ExpectedName = options.IdentityMode == IdentityMode.Shared ? options.ClientName : null,
            RevokedSerials = RevocationList.Load(Path.Combine(options.Pki, "revoked.txt")),
        };
        return new ServerPki(new LocalIdentity(certificate), new CertificateValidator(policy));
    }

    /// <inheritdoc/>
    public void Dispose() => Identity.Dispose();
}
