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
    /// <exception cref="PkiException">A file is missing, unreadable, malformed, the key does not match, or the server
    /// certificate is not one the clients would accept for <see cref="ServerOptions.ServerName"/>.</exception>
    public static ServerPki Load(ServerOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = PemFiles.LoadCertificate(Path.Combine(options.Pki, "ca.crt"));
        var certificate = PemFiles.LoadCertificateWithKey(Path.Combine(options.Pki, "server.crt"), Path.Combine(options.Pki, "server.key"));
        var revoked = RevocationList.Load(Path.Combine(options.Pki, "revoked.txt"));

        // Clients run exactly this check: a server that would fail it is refused at start-up, not at every handshake.
        var own = new CertificateValidator(new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Server,
            ExpectedName = options.ServerName,
            RevokedSerials = revoked,
        }).Validate(certificate, now);
        if (!own.IsValid)
        {
            certificate.Dispose();
            throw new PkiException($"{Path.Combine(options.Pki, "server.crt")} is not a server certificate clients accept for '{options.ServerName}': {own.Reason}.");
        }

        var policy = new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Client,
            ExpectedName = options.IdentityMode == IdentityMode.Shared ? options.ClientName : null,
            RevokedSerials = revoked,

            // One per server process: every session's hello and every relayed author certificate share the parse and
            // key import of a certificate already accepted; each session still checks the chain and the rest.
            Cache = new CertificateCache(),
        };
        return new ServerPki(new LocalIdentity(certificate), new CertificateValidator(policy));
    }

    /// <inheritdoc/>
    public void Dispose() => Identity.Dispose();
}
