using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki init</c> verb: a new Root CA with a server and a client certificate, ready for a first run.</summary>
internal static class PkiInitCommand
{
    private const string DefaultCaName = "SecureChat Root CA";
    private const int CaYears = 10;
    private const int MaxCaNameLength = 64;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o")
        {
            Description = "Directory to write ca.crt, ca.key, server.crt, server.key, client.crt and client.key into.",
            HelpName = "DIR",
            DefaultValueFactory = _ => PkiCommands.DefaultDirectory,
        };
        var serverName = new Option<string>("--server-name")
        {
            Description = "DNS name of the server certificate; clients check it.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "server.local",
        };
        var clientName = new Option<string>("--client-name")
        {
            Description = "Name (CN) of the client certificate.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "client.local",
        };
        var caName = new Option<string>("--ca-name")
        {
            Description = "Name (CN) of the Root CA.",
            HelpName = "NAME",
            DefaultValueFactory = _ => DefaultCaName,
        };
        var key = PkiCommands.KeyOption(
            "Key type: rsa2048 gives RSA-2048 certificates under an RSA-3072 CA; rsa3072 and p256 use that type for the CA too.");
        var days = PkiCommands.DaysOption("How many days the server and client certificates are valid.");
        var force = PkiCommands.ForceOption("Replace an existing CA; every certificate it issued stops being trusted.");

        var command = new Command(
            "init",
            $"Create a Root CA ({CaYears} years) and a server and a client certificate signed by it: by default RSA-2048 "
            + "certificates under an RSA-3072 CA, or with --key p256 all P-256. Keys are written as unencrypted PKCS#8 with mode 0600.");
        command.Options.Add(output);
        command.Options.Add(serverName);
        command.Options.Add(clientName);
        command.Options.Add(caName);
        command.Options.Add(key);
        command.Options.Add(days);
        command.Options.Add(force);
        command.SetAction(CliRunner.Guard((parse, _) =>
        {
            Run(
                parse.GetValue(output) ?? PkiCommands.DefaultDirectory,
                parse.GetValue(caName) ?? DefaultCaName,
                parse.GetValue(serverName) ?? string.Empty,
                parse.GetValue(clientName) ?? string.Empty,
                PkiCommands.KeyKinds[parse.GetValue(key) ?? PkiCommands.DefaultKey],
                parse.GetValue(days),
                parse.GetValue(force));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static void Run(string directory, string caName, string serverName, string clientName, KeyKind leafKey, int days, bool force)
    {
        // Every check comes before key generation, so a mistake costs nothing and leaves no file behind.
        CheckCaName(caName);
        PkiNames.CheckServerName(serverName);
        PkiNames.CheckClientName(clientName);
        var now = PkiCommands.Now();
        var (leafNotBefore, leafNotAfter) = PkiCommands.LeafValidity(now, days);
        var caNotBefore = leafNotBefore;
        var caNotAfter = now.AddYears(CaYears);
        if (leafNotAfter > caNotAfter)
        {
            throw new ArgumentException(
                $"--days {days} would outlive the new CA, which is valid for {CaYears} years; choose at most {(caNotAfter - now).Days} days.");
        }

        var files = new[] { PkiCommands.CaCertificateFile, PkiCommands.CaKeyFile, "server.crt", "server.key", "client.crt", "client.key" }
            .Select(name => Path.Combine(directory, name))
            .ToArray();
        RefuseToReplaceCa(directory, force);
        PkiCommands.RefuseToOverwrite(files, force);
        PkiCommands.EnsureDirectory(directory);

        using var ca = CertificateAuthority.CreateRoot(caName, CaKey(leafKey), caNotBefore, caNotAfter);
        using var server = CertificateAuthority.Issue(ca, CertificateRole.Server, serverName, leafKey, leafNotBefore, leafNotAfter);
        using var client = CertificateAuthority.Issue(ca, CertificateRole.Client, clientName, leafKey, leafNotBefore, leafNotAfter);

        PkiCommands.SaveWithKey(ca, files[0], files[1]);
        PkiCommands.SaveWithKey(server, files[2], files[3]);
        PkiCommands.SaveWithKey(client, files[4], files[5]);

        var output = Console.Out;
        var width = files.Max(f => Path.GetFileName(f).Length);
        output.WriteLine($"Created a new PKI in {Path.GetFullPath(directory)}:");
        Print(output, ca, "root CA", files[0], files[1], width);
        Print(output, server, "server", files[2], files[3], width);
        Print(output, client, "client", files[4], files[5], width);
        output.WriteLine("Keep ca.key private: whoever holds it can issue certificates that servers and clients trust.");
    }

    /// <summary>The CA's key for leaves of <paramref name="leafKey"/>.</summary>
    /// <remarks>A CA outlives its leaves, so RSA-2048 leaves get an RSA-3072 CA. A P-256 PKI stays P-256 all the way
    /// up: every certificate check a peer makes is then an ECDSA verification, which is where its speed comes from.</remarks>
    private static KeyKind CaKey(KeyKind leafKey) => leafKey == KeyKind.Rsa2048 ? KeyKind.Rsa3072 : leafKey;

    private static void Print(TextWriter output, X509Certificate2 certificate, string purpose, string certificatePath, string keyPath, int width)
    {
        PkiCommands.PrintWritten(output, Path.GetFileName(certificatePath), certificate, purpose, width);
        PkiCommands.PrintKeyWritten(output, Path.GetFileName(keyPath), width);
    }

    // The CA is named separately from the other files: replacing it silently would orphan every certificate it issued.
    private static void RefuseToReplaceCa(string directory, bool force)
    {
        var existing = new[] { PkiCommands.CaCertificateFile, PkiCommands.CaKeyFile }
            .FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
        if (!force && existing is not null)
        {
            throw new PkiException(
                $"A CA already exists in '{directory}' ({existing}); pass --force to replace it and every certificate it issued.");
        }
    }

    private static void CheckCaName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxCaNameLength || name.Any(char.IsControl) || name.Trim() != name)
        {
            throw new ArgumentException(
                $"The CA name '{PkiNames.Show(name)}' is not valid: use 1 to {MaxCaNameLength} printable characters without leading or trailing spaces.");
        }
    }
}
