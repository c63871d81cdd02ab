using System.CommandLine;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki sign</c> verb, run by the CA operator: a per-user certificate for the key in a signing request
/// made with <c>pki request</c> (or openssl), after checking the request's signature, key and name.</summary>
internal static class PkiSignCommand
{
    private const string UserRole = "user";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var request = new Option<string>("--csr")
        {
            Description = "The PEM certificate signing request (EMAIL.csr from 'pki request').",
            HelpName = "FILE",
            Required = true,
        };
        var role = new Option<string>("--role")
        {
            Description = "What the certificate is for; only user (a person's e-mail address, clientAuth) is signed from a request.",
            Required = true,
        };
        var name = new Option<string?>("--name", "-n")
        {
            Description = "The e-mail address the request must carry (default: the one it names, which must be consistent).",
            HelpName = "EMAIL",
        };
        var pki = PkiCommands.PkiDirectoryOption();
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Certificate file to write (default: EMAIL.crt next to the request).",
            HelpName = "FILE",
        };
        var days = PkiCommands.DaysOption("How many days the certificate is valid; not beyond the CA's own expiry.");
        var force = PkiCommands.ForceOption("Overwrite the certificate file if it exists.");

        var command = new Command(
            "sign",
            "Sign a user's certificate signing request with the CA in --pki. Only the request's public key is used: the "
            + "certificate gets the checked e-mail address and the extensions of 'pki issue --role user'.");
        command.Options.Add(request);
        command.Options.Add(role);
        command.Options.Add(name);
        command.Options.Add(pki);
        command.Options.Add(output);
        command.Options.Add(days);
        command.Options.Add(force);
        command.SetAction(CliRunner.Guard((parse, _) =>
        {
            Run(
                parse.GetValue(request) ?? string.Empty,
                parse.GetValue(role) ?? string.Empty,
                parse.GetValue(name),
                parse.GetValue(pki) ?? PkiCommands.DefaultDirectory,
                parse.GetValue(output),
                parse.GetValue(days),
                parse.GetValue(force));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static void Run(string requestPath, string role, string? expected, string pkiDirectory, string? output, int days, bool force)
    {
        if (role != UserRole)
        {
            throw new ArgumentException(
                $"--role {PkiNames.Show(role)} cannot be signed from a request; only --role user is, and server and client "
                + "certificates come from 'securechat pki issue'.");
        }

        // Everything about the request is checked before the CA key is loaded.
        var expectedEmail = expected is null ? null : PkiNames.CheckEmail(expected);
        var now = PkiCommands.Now();
        var (notBefore, notAfter) = PkiCommands.LeafValidity(now, days);
        var request = PkiCommands.Load(() => SigningRequest.Load(requestPath), requestPath);
        var email = expectedEmail ?? NameOf(request);
        request.CheckUser(email);
        var certificatePath = output ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(requestPath)) ?? ".", email + ".crt");
        PkiCommands.RefuseToOverwrite([certificatePath], force);

        using var ca = PkiCommands.LoadCa(pkiDirectory, now, notAfter, days);
        using var certificate = CertificateAuthority.SignUserRequest(ca, request, email, notBefore, notAfter);
        PkiCommands.EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(certificatePath)) ?? ".");
        PemFiles.SaveCertificate(certificatePath, certificate);

        var shown = output ?? Path.GetRelativePath(".", certificatePath);
        var console = Console.Out;
        console.WriteLine($"Signed a user certificate for {email} with {ca.Subject}; the private key stayed with the user:");
        PkiCommands.PrintWritten(console, shown, certificate, UserRole, shown.Length);
        console.WriteLine($"  {string.Empty.PadRight(shown.Length)}  public key SHA-256 {PkiCommands.KeyFingerprint(certificate.PublicKey)}");
        console.WriteLine("Compare that key fingerprint with the one 'pki request' showed the user before sending the certificate back.");
    }

    // Without --name the request names the user; CheckUser then requires every name in it to agree.
    private static string NameOf(SigningRequest request)
    {
        if (request.Names.Count == 0)
        {
            throw new PkiException("The certificate request names no one: it needs the user's e-mail address as CN or as an e-mail subjectAltName.");
        }

        var name = request.Names[0];
        try
        {
            return PkiNames.CheckEmail(name);
        }
        catch (ArgumentException)
        {
            throw new PkiException(
                $"The certificate request is for '{PkiNames.Show(name)}', which is not an e-mail address such as alice@example.com "
                + $"(at most {PkiNames.MaxLength} characters).");
        }
    }
}
