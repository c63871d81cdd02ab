using System.CommandLine;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki issue</c> verb: a new server, client or per-user certificate signed by an existing CA.</summary>
internal static class PkiIssueCommand
{
    private static readonly Dictionary<string, CertificateRole> Roles = new(StringComparer.Ordinal)
    {
        ["server"] = CertificateRole.Server,
        ["client"] = CertificateRole.Client,
        ["user"] = CertificateRole.User,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var role = new Option<string>("--role")
        {
            Description = "What the certificate is for: server (DNS name, serverAuth), client (name, clientAuth) "
                + "or user (a person's e-mail address, clientAuth).",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. Roles.Keys]);
        var name = new Option<string>("--name", "-n")
        {
            Description = "The server's DNS name, the client's name or the user's e-mail address; also names the files NAME.crt and NAME.key.",
            HelpName = "NAME",
            Required = true,
        };
        var pki = PkiCommands.PkiDirectoryOption();
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Directory to write NAME.crt and NAME.key into (default: the --pki directory).",
            HelpName = "DIR",
        };
        var days = PkiCommands.DaysOption("How many days the certificate is valid; not beyond the CA's own expiry.");
        var key = PkiCommands.KeyOption("Key type of the new certificate.");
        var force = PkiCommands.ForceOption("Overwrite NAME.crt and NAME.key if they exist.");

        var command = new Command("issue", "Issue a server, client or per-user certificate signed by the CA in --pki.");
        command.Options.Add(role);
        command.Options.Add(name);
        command.Options.Add(pki);
        command.Options.Add(output);
        command.Options.Add(days);
        command.Options.Add(key);
        command.Options.Add(force);
        command.SetAction(CliRunner.Guard((parse, _) =>
        {
            var pkiDirectory = parse.GetValue(pki) ?? PkiCommands.DefaultDirectory;
            Run(new Request(
                Roles[parse.GetValue(role) ?? "server"],
                parse.GetValue(name) ?? string.Empty,
                pkiDirectory,
                parse.GetValue(output) ?? pkiDirectory,
                parse.GetValue(days),
                PkiCommands.KeyKinds[parse.GetValue(key) ?? PkiCommands.DefaultKey],
                parse.GetValue(force)));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static void Run(Request request)
    {
        // Cheap checks first: a bad name or an existing file must not cost a key generation.
        var name = PkiNames.Check(request.Role, request.Name);
        var now = PkiCommands.Now();
        var (notBefore, notAfter) = PkiCommands.LeafValidity(now, request.Days);
        var certificatePath = Path.Combine(request.OutputDirectory, name + ".crt");
        var keyPath = Path.Combine(request.OutputDirectory, name + ".key");
        PkiCommands.RefuseToOverwrite([certificatePath, keyPath], request.Force);

        using var ca = PkiCommands.LoadCa(request.PkiDirectory, now, notAfter, request.Days);

        PkiCommands.EnsureDirectory(request.OutputDirectory);
        using var certificate = CertificateAuthority.Issue(ca, request.Role, name, request.Key, notBefore, notAfter);
        PkiCommands.SaveWithKey(certificate, certificatePath, keyPath);

        var output = Console.Out;
        var width = Math.Max(certificatePath.Length, keyPath.Length);
        var role = request.Role.ToString().ToLowerInvariant();
        output.WriteLine($"Issued a {role} certificate signed by {ca.Subject}:");
        PkiCommands.PrintWritten(output, certificatePath, certificate, role, width);
        PkiCommands.PrintKeyWritten(output, keyPath, width);
        if (request.Role == CertificateRole.User)
        {
            output.WriteLine(
                $"Note: the CA operator now knows {name}'s private key; so that only the user holds it, the user runs "
                + "'securechat pki request' and the operator 'securechat pki sign'.");
        }
    }

    private sealed record Request(
        CertificateRole Role, string Name, string PkiDirectory, string OutputDirectory, int Days, KeyKind Key, bool Force);
}
