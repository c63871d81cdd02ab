using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SecureChat.Pki;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki show FILE</c> verb: prints the fields of a PEM certificate as a table or as JSON.</summary>
internal static class PkiShowCommand
{
    // Piped output is read by scripts and grep; a fingerprint must not be wrapped onto two lines there.
    private const int RedirectedWidth = 240;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The PEM certificate file to show (any certificate, not only ours)." };
        var json = new Option<bool>("--json") { Description = "Print the fields as JSON instead of a table." };
        var command = new Command(
            "show",
            "Show a certificate: subject, issuer, serial, validity, names, key, constraints, key usages and SHA-256 fingerprint.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(CliRunner.Guard((parse, _) =>
        {
            var path = parse.GetValue(file) ?? throw new ArgumentException("Name the certificate file to show.");
            using var certificate = PkiCommands.Load(() => PemFiles.LoadCertificate(path), path);
            var report = PkiCertificateReport.Create(path, certificate, PkiCommands.Now());
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(report, PkiJsonContext.Default.PkiCertificateReport));
            }
            else
            {
                CreateConsole().Write(BuildTable(report));
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    private static IAnsiConsole CreateConsole()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    private static Table BuildTable(PkiCertificateReport report)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Markup.Escape(Clean(report.File))) };
        table.AddColumn(new TableColumn("Field").NoWrap());
        table.AddColumn("Value");
        Row(table, "Subject", report.Subject);
        Row(table, "Issuer", report.Issuer);
        Row(table, "Serial", report.Serial);
        Row(table, "Not before", Format(report.NotBefore) + (report.NotYetValid ? "  (not yet valid)" : string.Empty));
        Row(table, "Not after", Format(report.NotAfter) + (report.Expired ? "  (expired)" : string.Empty));
        Row(table, "Subject alt names", report.SubjectAlternativeNames.Count == 0 ? "none" : string.Join(", ", report.SubjectAlternativeNames));
        Row(table, "Public key", report.Key.ToString());
        Row(table, "Signature", report.SignatureAlgorithm);
        Row(table, "Basic constraints", Describe(report.BasicConstraints));
        Row(table, "Key usage", Describe(report.KeyUsage));
        Row(table, "Extended key usage", Describe(report.ExtendedKeyUsage));
        Row(table, "SHA-256 fingerprint", report.Sha256Fingerprint);
        return table;
    }

    // Text renderables print '[' and ']' from a certificate literally; markup (like the title, hence its escaping) would
    // interpret them.
    private static void Row(Table table, string field, string value) =>
        table.AddRow(new IRenderable[] { new Text(field), new Text(Clean(value)) });

    private static string Describe(PkiBasicConstraintsReport? constraints) => constraints switch
    {
        null => "absent",
        { Malformed: true } => "(malformed)" + Critical(constraints.Critical),
        { CertificateAuthority: true, PathLength: { } length } => $"CA:TRUE, pathlen:{length}" + Critical(constraints.Critical),
        { CertificateAuthority: true } => "CA:TRUE" + Critical(constraints.Critical),
        _ => "CA:FALSE" + Critical(constraints.Critical),
    };

    private static string Describe(PkiUsageReport? usage) =>
        usage is null ? "absent" : string.Join(", ", usage.Usages) + Critical(usage.Critical);

    private static string Critical(bool critical) => critical ? " (critical)" : string.Empty;

    private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // Names come from whoever made the certificate: control characters could move the cursor or recolour the
    // terminal, so they are shown as '?' (the JSON output escapes them instead).
    private static string Clean(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
