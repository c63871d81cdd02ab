using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Cli.Commands;
using SecureChat.Pki;

namespace SecureChat.Cli;

/// <summary>The PKI files of the demo, the bench and the attack lab: a Root CA and <c>server.local</c>, then either the
/// shared <c>client.local</c> certificate or a certificate of each user's own, obtained by enrolment.</summary>
internal static class DemoPki
{
    /// <summary>How long the demo's user certificates are valid, in days.</summary>
    private const int UserDays = 7;

    /// <summary>Writes a fresh CA, server.local and the shared client.local certificates and keys (shared identity
    /// mode, every client presents the same certificate); returns the folder.</summary>
    public static string MakePkiFiles(string directory)
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = MakeCaAndServer(directory, now);
        using var client = CertificateAuthority.Issue(ca, CertificateRole.Client, "client.local", KeyKind.Rsa2048, now.AddMinutes(-5), now.AddDays(7));
        PemFiles.SaveCertificate(Path.Combine(directory, "client.crt"), client);
        SaveKey(Path.Combine(directory, "client.key"), client);
        return directory;
    }

    /// <summary>Writes a fresh CA and server.local certificate and keys, and no client certificate (per-user identity
    /// mode: each user enrols with <see cref="Enrol"/>); returns the CA certificate without its key.</summary>
    public static X509Certificate2 MakeCa(string directory)
    {
        using var ca = MakeCaAndServer(directory, DateTimeOffset.UtcNow);
        return PemFiles.LoadCertificate(Path.Combine(directory, "ca.crt"));
    }

    /// <summary>Enrols one user as <c>pki request</c> and <c>pki sign</c> do: on the user's side a new key (mode 0600)
    /// and a PKCS#10 request signed with it, written to <paramref name="userDirectory"/>; on the CA operator's side the
    /// request file is loaded and checked (signature, key, name), and the CA in <paramref name="pkiDirectory"/> signs
    /// its public key into <c>EMAIL.crt</c> next to it. The private key never passes through the CA's code.</summary>
    public static Enrolment Enrol(string pkiDirectory, string userDirectory, string email)
    {
        Directory.CreateDirectory(userDirectory);
        var keyPath = Path.Combine(userDirectory, email + ".key");
        var requestPath = Path.Combine(userDirectory, email + ".csr");
        var certificatePath = Path.Combine(userDirectory, email + ".crt");

        // The user's side (pki request): the key goes to disk first, then the request it signed.
        using (var key = CertificateAuthority.GenerateKey(PkiCommands.KeyKinds[PkiCommands.DefaultKey]))
        {
            var request = SigningRequest.Create(email, key);
            PemFiles.SavePrivateKey(keyPath, key);
            SigningRequest.Save(requestPath, request);
        }

        // The CA operator's side (pki sign): only the request file; its self-signature is verified as it loads.
        var now = PkiCommands.Now();
        var (notBefore, notAfter) = PkiCommands.LeafValidity(now, UserDays);
        var signingRequest = SigningRequest.Load(requestPath);
        signingRequest.CheckUser(email);
        using var ca = PkiCommands.LoadCa(pkiDirectory, now, notAfter, UserDays);
        using var certificate = CertificateAuthority.SignUserRequest(ca, signingRequest, email, notBefore, notAfter);
        PemFiles.SaveCertificate(certificatePath, certificate);
        return new Enrolment(email, certificatePath, keyPath, certificate.Subject, PkiCommands.KeyFingerprint(signingRequest.PublicKey));
    }

    private static X509Certificate2 MakeCaAndServer(string directory, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        var ca = CertificateAuthority.CreateRoot("SecureChat Demo Root CA", KeyKind.Rsa3072, now.AddMinutes(-5), now.AddDays(30));
        using var server = CertificateAuthority.Issue(ca, CertificateRole.Server, "server.local", KeyKind.Rsa2048, now.AddMinutes(-5), now.AddDays(7));
        PemFiles.SaveCertificate(Path.Combine(directory, "ca.crt"), ca);
        SaveKey(Path.Combine(directory, "ca.key"), ca);
        PemFiles.SaveCertificate(Path.Combine(directory, "server.crt"), server);
        SaveKey(Path.Combine(directory, "server.key"), server);
        return ca;
    }

    private static void SaveKey(string path, X509Certificate2 certificate)
    {
        using var key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()!;
        PemFiles.SavePrivateKey(path, key);
    }
}

/// <summary>One user's enrolment: the files in the user's folder and what the CA signed.</summary>
/// <param name="Email">The address the certificate names (CN and rfc822Name).</param>
/// <param name="CertificatePath">The certificate the CA signed, next to the request.</param>
/// <param name="KeyPath">The user's private key (PKCS#8, mode 0600), made on the user's side.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="KeyFingerprint">SHA-256 of the public key, as both <c>pki request</c> and <c>pki sign</c> print it.</param>
internal sealed record Enrolment(string Email, string CertificatePath, string KeyPath, string Subject, string KeyFingerprint);
