using SecureChat.Client;
using SecureChat.Pki;
using SecureChat.Protocol;

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

        var root = PemFiles.LoadCertificate(RequireFile(caFile ?? Path.Combine(pkiDirectory, "ca.crt"), "--ca"));
        var keyPath = keyFile ?? Path.Combine(pkiDirectory, "client.key");
        RequirePrivateKeyFile(keyPath);
        var certificate = PemFiles.LoadCertificateWithKey(certFile ?? Path.Combine(pkiDirectory, "client.crt"), keyPath);
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

    /// <summary>Refuses a folder where a file is expected: opening one fails with "access denied", which sends the
    /// user looking at permissions.</summary>
    public static string RequireFile(string path, string option) =>
        Directory.Exists(path) ? throw new ArgumentException($"{option} '{path}' is a folder; give the certificate file (for example {Path.Combine(path, "ca.crt")}).") : path;

    /// <summary>Splits <c>HOST:PORT</c>: a name, an IPv4 address or <c>[IPv6]</c>, then a port 1–65535. Whether the
    /// name exists is for the connection to find out, so that an unknown name is reported as such.</summary>
    public static (string Host, int Port) ParseTarget(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var colon = target.LastIndexOf(':');
        var host = colon > 0 ? target[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = "";
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace)
            || !int.TryParse(target[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new ArgumentException($"'{target}' is not HOST:PORT (for example 127.0.0.1:7443, localhost:7443 or [::1]:7443).");
        }

        return (host, port);
    }

    /// <summary>Refuses a private key file that other users can read, as ssh does: it would let them act as this client.</summary>
    public static void RequirePrivateKeyFile(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new ArgumentException(
                $"the private key '{path}' can be read or changed by other users (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 '{path}'");
        }
    }
}
