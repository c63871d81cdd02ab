using System.CommandLine;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki revoke</c> verb: adds a certificate's serial number to the revocation list of a PKI directory.</summary>
internal static class PkiRevokeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var serial = new Option<string?>("--serial")
        {
            Description = "Serial number to revoke, in hex as 'pki show' or 'openssl x509 -serial' prints it (':' separators allowed).",
            HelpName = "HEX",
        };
        var certificate = new Option<string?>("--cert")
        {
            Description = "PEM certificate file to revoke, instead of --serial.",
            HelpName = "FILE",
        };
        var pki = PkiCommands.PkiDirectoryOption();
        pki.Description = $"Directory whose {PkiCommands.RevocationFile} gets the serial.";

        var command = new Command(
            "revoke",
            $"Revoke a certificate by adding its serial number to {PkiCommands.RevocationFile} in the PKI directory. "
            + "The server reads that file when it starts, so restart it afterwards.");
        command.Options.Add(serial);
        command.Options.Add(certificate);
        command.Options.Add(pki);
        command.SetAction(CliRunner.Guard((parse, _) =>
        {
            Run(parse.GetValue(serial), parse.GetValue(certificate), parse.GetValue(pki) ?? PkiCommands.DefaultDirectory);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static void Run(string? serialText, string? certificatePath, string directory)
    {
        var serial = (serialText, certificatePath) switch
        {
            (null, null) => throw new ArgumentException("Say what to revoke with --serial HEX or --cert FILE."),
            ({ }, { }) => throw new ArgumentException("Give either --serial or --cert, not both."),
            ({ } text, null) => ParseSerial(text),
            (null, { } path) => SerialOf(path),
        };

        PkiCommands.RequirePkiDirectory(directory);
        var list = Path.Combine(directory, PkiCommands.RevocationFile);
        if (RevocationList.Load(list).Contains(serial))
        {
            Console.Out.WriteLine($"Serial {serial} is already revoked in {list}.");
            return;
        }

        RevocationList.Add(list, serial);
        Console.Out.WriteLine($"Revoked serial {serial}: added to {list}. Restart the server to apply it.");
    }

    private static string ParseSerial(string text)
    {
        try
        {
            return RevocationList.NormalizeSerial(text);
        }
        catch (ArgumentException)
        {
            // The library's message names its parameter; the operator typed a flag.
            throw new ArgumentException(
                $"The serial '{PkiNames.Show(text)}' is not a hexadecimal serial number (for example 4F2A09 or 4f:2a:09).");
        }
    }

    private static string SerialOf(string path)
    {
        using var certificate = PkiCommands.Load(() => PemFiles.LoadCertificate(path), path);
        return PkiCertificateReport.RevocableSerial(certificate)
            ?? throw new PkiException($"The serial number of '{path}' is longer than a revocation list accepts.");
    }
}
