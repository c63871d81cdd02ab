using System.CommandLine;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki request</c> verb, run by the user: a new private key that stays on this machine and a PKCS#10
/// signing request for the CA operator.</summary>
internal static class PkiRequestCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Option<string>("--name", "-n")
        {
            Description = "Your e-mail address (the account's); also names the files EMAIL.key and EMAIL.csr.",
            HelpName = "EMAIL",
            Required = true,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Directory to write EMAIL.key and EMAIL.csr into.",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var key = PkiCommands.KeyOption("Key type of the new key.");
        var force = PkiCommands.ForceOption("Overwrite EMAIL.key and EMAIL.csr if they exist (the old key is lost).");

        var command = new Command(
            "request",
            "Make your own private key (PKCS#8, mode 0600) and a certificate signing request (EMAIL.csr) to send to the CA "
            + "operator, who signs it with 'pki sign'. The key never leaves this machine.");
        command.Options.Add(name);
        command.Options.Add(output);
        command.Options.Add(key);
        command.Options.Add(force);
        command.SetAction(CliRunner.Guard((parse, _) =>
        {
            Run(
                parse.GetValue(name) ?? string.Empty,
                parse.GetValue(output) ?? ".",
                PkiCommands.KeyKinds[parse.GetValue(key) ?? PkiCommands.DefaultKey],
                parse.GetValue(force));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static void Run(string name, string directory, KeyKind kind, bool force)
    {
        // Cheap checks first: a bad name or an existing key must not cost a key generation.
        var email = PkiNames.CheckEmail(name);
        var keyPath = Path.Combine(directory, email + ".key");
        var requestPath = Path.Combine(directory, email + ".csr");
        PkiCommands.RefuseToOverwrite([keyPath, requestPath], force);
        PkiCommands.EnsureDirectory(directory);

        using var key = CertificateAuthority.GenerateKey(kind);
        var request = SigningRequest.Create(email, key);

        // The key goes first, so a request never exists on disk without the key that signed it.
        PemFiles.SavePrivateKey(keyPath, key);
        SigningRequest.Save(requestPath, request);

        var output = Console.Out;
        var width = Math.Max(keyPath.Length, requestPath.Length);
        output.WriteLine($"Made a key and a signing request for {email}:");
        PkiCommands.PrintKeyWritten(output, keyPath, width);
        output.WriteLine($"  {requestPath.PadRight(width)}  certificate signing request (PKCS#10), CN={email}");
        output.WriteLine($"  {string.Empty.PadRight(width)}  public key SHA-256 {PkiCommands.KeyFingerprint(new System.Security.Cryptography.X509Certificates.PublicKey(key))}");
        output.WriteLine(
            $"Send {Path.GetFileName(requestPath)} to the CA operator and keep {Path.GetFileName(keyPath)} here; "
            + "the operator runs 'securechat pki sign --csr FILE --role user' and sends back the certificate.");
    }
}
