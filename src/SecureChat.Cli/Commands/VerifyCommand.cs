using System.CommandLine;
using SecureChat.Evidence.Audit;
using SecureChat.Pki;
using Spectre.Console;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>verify</c> verb: the offline auditor. From the Root CA and transcript files alone it checks
/// certificates, both signed DH exchanges, every message signature, seqno contiguity, commitments and receipts.</summary>
internal static class VerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var ca = new Option<string>("--ca") { Description = "Root CA certificate (PEM) both certificates must chain to.", Required = true };
        var files = new Argument<string[]>("transcript") { Description = "Transcript files (.jsonl) to verify.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON report per file." };
        var serverName = new Option<string>("--server-name") { Description = "Name the server certificate must carry.", DefaultValueFactory = _ => AuditOptions.DefaultServerName };
        var clientName = new Option<string?>("--client-name") { Description = "Name the client certificate must carry (not checked by default: per-user certificates name e-mails)." };
        var revoked = new Option<string?>("--revoked") { Description = "Revocation list (one serial per line) to apply." };
        var command = new Command("verify", "Verify transcript files offline; exit code 0 only if every file is accepted.") { ca, files, json, serverName, clientName, revoked };
        command.SetAction(CliRunner.Guard((parse, cancellationToken) =>
        {
            var root = PemFiles.LoadCertificate(parse.GetValue(ca)!);
            var options = new AuditOptions
            {
                ExpectedServerName = parse.GetValue(serverName),
                ExpectedClientName = parse.GetValue(clientName),
                RevokedSerials = parse.GetValue(revoked) is { } list ? RevocationList.Load(list) : new HashSet<string>(),
            };
            var allAccepted = true;
            foreach (var path in parse.GetValue(files)!)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Directory.Exists(path))
                {
                    // Opening a directory fails with "access denied", which sends the user looking at permissions.
                    throw new ArgumentException($"'{path}' is a directory; give the transcript files in it (for example {Path.Combine(path, "*.jsonl")}).");
                }

                AuditReport report;
                using (var stream = File.OpenRead(path))
                {
                    report = TranscriptAuditor.Audit(stream, root, options);
                }

                allAccepted &= report.Accepted;
                if (parse.GetValue(json))
                {
                    Console.WriteLine(report.ToJson());
                }
                else
                {
                    Print(path, report);
                }
            }

            return Task.FromResult(allAccepted ? 0 : CliRunner.Failure);
        }));
        return command;
    }

    private static void Print(string path, AuditReport report)
    {
        var verdict = report.Accepted
            ? report.Complete ? "[green]ACCEPTED[/], complete" : "[yellow]ACCEPTED[/], incomplete"
            : "[red]REJECTED[/]";
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(path)).AddColumn("check").AddColumn("result");
        table.AddRow("verdict", verdict);
        table.AddRow("session", Markup.Escape($"{report.SessionId} ({report.Side} side, user {report.Username})"));
        table.AddRow("certificates", Markup.Escape($"client {report.ClientCertificateSubject}; server {report.ServerCertificateSubject}"));
        table.AddRow("messages verified", $"{report.MessagesVerified} (c2s {report.ClientToServerMessages}, s2c {report.ServerToClientMessages}); plaintexts checked {report.PlaintextsVerified}");
        table.AddRow("receipts verified", Markup.Escape($"{report.ReceiptsVerified} (client: {Coverage(report.ClientReceipt)}; server: {Coverage(report.ServerReceipt)})"));
        AddRelayed(table, report);
        if (report.Truncated)
        {
            table.AddRow("file", "[yellow]last line is torn (checked up to the last complete line)[/]");
        }

        if (report.FirstFailure is { } failure)
        {
            table.AddRow("first failure", Markup.Escape($"line {failure.LineNumber}: {failure.Kind}: {failure.Reason}"));
        }

        foreach (var warning in report.Findings.Where(f => f.Severity == AuditSeverity.Warning).Take(5))
        {
            table.AddRow("note", Markup.Escape($"line {warning.LineNumber}: {warning.Reason}"));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>One row per relayed copy: who wrote it, and whether the author's own signature or only the server says so.</summary>
    private static void AddRelayed(Table table, AuditReport report)
    {
        const int MaxRows = 50;
        var relayed = report.Messages.Where(m => m.Proof is not null).ToList();
        foreach (var m in relayed.Take(MaxRows))
        {
            var when = DateTimeOffset.FromUnixTimeMilliseconds(m.AuthorTs ?? 0).ToString("u", System.Globalization.CultureInfo.InvariantCulture);
            var proof = m.Proof == "author"
                ? $"proof: author ({m.Author}, certificate {m.AuthorSubject})"
                : $"proof: server only (shared certificate {m.AuthorSubject})";
            var text = m.Text is null ? "" : $" \"{Interactive.Display.Safe(m.Text)}\"";
            table.AddRow(Markup.Escape($"line {m.Line} s2c {m.Seqno}"), Markup.Escape($"{m.From} said{text} to {m.To} at {when}; {proof}"));
        }

        if (relayed.Count > MaxRows)
        {
            table.AddRow("relayed", Markup.Escape($"{relayed.Count - MaxRows} more (see --json)"));
        }
    }

    private static string Coverage(ReceiptCoverage? receipt) =>
        receipt is null ? "none" : $"{receipt.C2sLastSeq} c2s + {receipt.S2cLastSeq} s2c messages, line {receipt.LineNumber}";
}
