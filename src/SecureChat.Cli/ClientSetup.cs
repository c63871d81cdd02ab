using SecureChat.Client;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Server;

namespace SecureChat.Cli;

/// <summary>Loads a client's certificate, key and trust settings from files.</summary>
internal static class ClientSetup
{
    /// <summary>Builds connection options from <c>--pki</c> (ca.crt, client.crt, client.key) or explicit files.</summary>
    public static ChatClientOptions Load(string pkiDirectory, string? certFile, string? keyFile, string? caFile, string serverName, string? transcripts)
    {
        if ((certFile is null) != (keyFile is null))
        {
            throw new ArgumentException("--cert and --key must be given together.");
        }

        var root = PemFiles.LoadCertificate(caFile ?? Path.Combine(pkiDirectory, "ca.crt"));
        var certificate = PemFiles.LoadCertificateWithKey(
            certFile ?? Path.Combine(pkiDirectory, "client.crt"),
            keyFile ?? Path.Combine(pkiDirectory, "client.key"));
        var policy = new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Server,
            ExpectedName = serverName,
            RevokedSerials = RevocationList.Load(Path.Combine(pkiDirectory, "revoked.txt")),
        };
        return new ChatClientOptions
        {
            Identity = new LocalIdentity(certificate),
            ServerValidator = new CertificateValidator(policy),
            TranscriptDirectory = transcripts,
        };
    }

    /// <summary>Splits <c>HOST:PORT</c>.</summary>
    public static (string Host, int Port) ParseTarget(string target)
    {
        var endPoint = SecureChatServer.ParseEndPoint(target);
        var host = target.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "localhost" : endPoint.Address.ToString();
        return (host, endPoint.Port);
    }
}
