using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Bench;

/// <summary>The throwaway PKI a bench run makes for its child servers and clients, with the key kind under test.</summary>
internal static class BenchPki
{
    /// <summary>The key kinds <c>--key</c> accepts, by their command-line names.</summary>
    public static readonly IReadOnlyDictionary<string, KeyKind> KeyKinds = new Dictionary<string, KeyKind>(StringComparer.Ordinal)
    {
        ["rsa2048"] = KeyKind.Rsa2048,
        ["p256"] = KeyKind.EcdsaP256,
    };

    /// <summary>Writes ca.crt, server.crt/.key and client.crt/.key to <paramref name="directory"/>.</summary>
    /// <remarks>The server and client keys are of the kind asked for. The CA follows it: RSA-3072 above RSA-2048
    /// leaves (as <c>securechat demo</c> makes them), P-256 above P-256 leaves, so that a P-256 run has no RSA
    /// in its certificate chains either.</remarks>
    /// <returns><paramref name="directory"/>.</returns>
    public static string Make(string directory, string key)
    {
        var leaf = KeyKinds.TryGetValue(key, out var kind) ? kind : throw new ArgumentException($"unknown key kind '{key}'", nameof(key));
        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.CreateRoot("SecureChat Bench Root CA", leaf == KeyKind.EcdsaP256 ? KeyKind.EcdsaP256 : KeyKind.Rsa3072,
            now.AddMinutes(-5), now.AddDays(2));
        using var server = CertificateAuthority.Issue(ca, CertificateRole.Server, "server.local", leaf, now.AddMinutes(-5), now.AddDays(1));
        using var client = CertificateAuthority.Issue(ca, CertificateRole.Client, "client.local", leaf, now.AddMinutes(-5), now.AddDays(1));
        PemFiles.SaveCertificate(Path.Combine(directory, "ca.crt"), ca);
        PemFiles.SaveCertificate(Path.Combine(directory, "server.crt"), server);
        SaveKey(Path.Combine(directory, "server.key"), server);
        PemFiles.SaveCertificate(Path.Combine(directory, "client.crt"), client);
        SaveKey(Path.Combine(directory, "client.key"), client);
        return directory;
    }

    /// <summary>The kind of a certificate's key in a word: <c>rsa2048</c>, <c>rsa3072</c>, <c>p256</c>.</summary>
    public static string KeyName(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return $"rsa{rsa.KeySize}";
        }

        using var ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa is null ? "unknown" : ecdsa.KeySize == 256 ? "p256" : $"ecdsa{ecdsa.KeySize}";
    }

    /// <summary>A fresh key pair of a kind named by <see cref="KeyName"/> (RSA of any size, or P-256).</summary>
    public static AsymmetricAlgorithm NewKey(string name) =>
        name == "p256" ? ECDsa.Create(ECCurve.NamedCurves.nistP256)
        : name.StartsWith("rsa", StringComparison.Ordinal) && int.TryParse(name.AsSpan(3), out var bits) ? RSA.Create(bits)
        : throw new ArgumentException($"cannot make a key of kind '{name}'", nameof(name));

    private static void SaveKey(string path, X509Certificate2 certificate)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()!;
        PemFiles.SavePrivateKey(path, key);
    }
}
