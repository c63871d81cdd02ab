using SecureChat.Evidence.Audit;
using Spectre.Console;

namespace SecureChat.Cli.Commands;

/// <summary>How <c>verify</c> shows its reports to people: a table on a terminal; plain lines, never cut, when the
/// output goes to a file or a pipe.</summary>
internal sealed class TextOutput : VerifyCommand.IVerifyOutput
{
    private readonly bool _plain = Console.IsOutputRedirected;

    /// <summary>Shows one file's report.</summary>
    public void Report(string path, AuditReport report)
    {
        var rows = Rows(report).ToList();
        if (_plain)
        {
            Console.WriteLine($"{path}: {Verdict(report, markup: false)}");
            foreach (var (check, result) in rows)
            {
                Console.WriteLine($"  {check}: {result}");
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(path)).AddColumn("check").AddColumn("result");
        table.AddRow("verdict", Verdict(report, markup: true));
        foreach (var (check, result) in rows)
        {
            table.AddRow(Markup.Escape(check), Markup.Escape(result));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Shows the totals line.</summary>
    public void Totals(VerifyCommand.Totals totals) => Console.WriteLine(totals.Describe());

    private static string Verdict(AuditReport report, bool markup)
    {
        var (color, text) = !report.Accepted ? ("red", "REJECTED")
            : report.Complete ? ("green", "ACCEPTED, complete")
            : ("yellow", "ACCEPTED, incomplete: no receipts, nothing shows the peer saw these messages");
        return markup ? $"[{color}]{Markup.Escape(text)}[/]" : text;
    }

    private static IEnumerable<(string Check, string Result)> Rows(AuditReport report)
    {
        yield return ("session", $"{report.SessionId} ({report.Side} side, user {report.Username})");
        yield return ("certificates", $"client {report.ClientCertificateSubject}; server {report.ServerCertificateSubject}");
        yield return ("messages verified", $"{report.MessagesVerified} (c2s {report.ClientToServerMessages}, s2c {report.ServerToClientMessages}); plaintexts checked {report.PlaintextsVerified}");
        yield return ("receipts verified", $"{report.ReceiptsVerified} (client: {Coverage(report.ClientReceipt)}; server: {Coverage(report.ServerReceipt)})");
        foreach (var row in Relayed(report))
        {
            yield return row;
        }

        if (report.Truncated)
        {
            yield return ("file", "last line is torn (checked up to the last complete line)");
        }

        if (report.FirstFailure is { } failure)
        {
            yield return ("first failure", $"{VerifyCommand.Where(failure.LineNumber)}: {failure.Kind}: {failure.Reason}");
        }

        foreach (var warning in report.Findings.Where(f => f.Severity == AuditSeverity.Warning).Take(5))
        {
            yield return ("note", $"{VerifyCommand.Where(warning.LineNumber)}: {warning.Reason}");
        }
    }

    /// <summary>Who wrote each relayed message and what proves it (the author's own signature, or the server only).</summary>
    private static IEnumerable<(string Check, string Result)> Relayed(AuditReport report)
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
            var mark = m.Mark is null ? "" : $" ({m.Mark})";
            yield return ($"line {m.Line} s2c {m.Seqno}", $"{m.From} said{text} to {m.To} at {when}{mark}; {proof}");
        }

        if (relayed.Count > MaxRows)
        {
            yield return ("relayed", $"{relayed.Count - MaxRows} more (see --json)");
        }
    }

    private static string Coverage(ReceiptCoverage? receipt) =>
        receipt is null ? "none" : $"{receipt.C2sLastSeq} c2s + {receipt.S2cLastSeq} s2c messages, line {receipt.LineNumber}";
}
