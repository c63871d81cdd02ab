using System.CommandLine;
using System.Text.Json.Nodes;
using SecureChat.Evidence.Audit;
using SecureChat.Pki;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>verify</c> verb: the offline auditor. From the Root CA and transcript files alone it checks
/// certificates, both signed DH exchanges, every message signature, seqno contiguity, commitments and receipts.</summary>
/// <remarks>Exit code 0 when every file is accepted (with <c>--require-receipts</c>, also complete), 1 when one is
/// not, 2 for a usage error (a missing file, a folder, a flag), checked before any file is audited.</remarks>
internal static class VerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var ca = new Option<string>("--ca") { Description = "Root CA certificate (PEM) both certificates must chain to.", Required = true };
        var files = new Argument<string[]>("transcript") { Description = "Transcript files (.jsonl) to verify.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON report per file (with its \"file\"), then one {\"totals\": …} line." };
        var requireReceipts = new Option<bool>("--require-receipts") { Description = "Count a file without both receipts (an incomplete session) as a failure." };
        var serverName = new Option<string>("--server-name") { Description = "Name the server certificate must carry.", DefaultValueFactory = _ => AuditOptions.DefaultServerName };
        var clientName = new Option<string?>("--client-name") { Description = "Name the client certificate must carry (not checked by default: per-user certificates name e-mails)." };
        var revoked = new Option<string?>("--revoked") { Description = "Revocation list (one serial per line) to apply." };
        var command = new Command("verify", "Verify transcript files offline; exit code 0 only if every file is accepted.")
        {
            ca, files, json, requireReceipts, serverName, clientName, revoked,
        };
        command.SetAction(CliRunner.Guard((parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files)!;
            foreach (var path in paths)
            {
                RequireTranscriptFile(path);
            }

            var root = PemFiles.LoadCertificate(ClientSetup.RequireFile(parse.GetValue(ca)!, "--ca"));
            var options = new AuditOptions
            {
                ExpectedServerName = parse.GetValue(serverName),
                ExpectedClientName = parse.GetValue(clientName),
                RevokedSerials = parse.GetValue(revoked) is { } list ? RevocationList.Load(ClientSetup.RequireFile(list, "--revoked")) : new HashSet<string>(),
            };
            var totals = new Totals();
            var output = parse.GetValue(json) ? (IVerifyOutput)new JsonOutput() : new TextOutput();
            foreach (var path in paths)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AuditReport report;
                using (var stream = File.OpenRead(path))
                {
                    report = TranscriptAuditor.Audit(stream, root, options);
                }

                totals.Add(report);
                output.Report(path, report);
            }

            output.Totals(totals);
            var passed = totals.Rejected == 0 && (!parse.GetValue(requireReceipts) || totals.Incomplete == 0);
            return Task.FromResult(passed ? 0 : CliRunner.Failure);
        }));
        return command;
    }

    private static void RequireTranscriptFile(string path)
    {
        if (Directory.Exists(path))
        {
            // Opening a directory fails with "access denied", which sends the user looking at permissions.
            // A transcript folder keeps its files in day and bucket folders (DIR/yyyy-MM-dd/xx/*.jsonl).
            throw new ArgumentException(
                $"'{path}' is a directory; give the transcript files under it (for a transcript folder, {Path.Combine(path, "*", "*", "*.jsonl")}).");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(null, path);
        }
    }

    /// <summary>Where a finding is: a line, or the file as a whole (line 0, for example a missing receipt).</summary>
    internal static string Where(int lineNumber) => lineNumber > 0 ? $"line {lineNumber}" : "end of file";

    /// <summary>How many files were accepted (complete or not) and rejected.</summary>
    internal sealed class Totals
    {
        /// <summary>Files audited.</summary>
        public int Files { get; private set; }

        /// <summary>Accepted with both receipts.</summary>
        public int Complete { get; private set; }

        /// <summary>Accepted, but without both receipts: what is there holds, but nothing shows the peer saw it.</summary>
        public int Incomplete { get; private set; }

        /// <summary>Rejected.</summary>
        public int Rejected { get; private set; }

        /// <summary>Counts one report.</summary>
        public void Add(AuditReport report)
        {
            Files++;
            if (!report.Accepted)
            {
                Rejected++;
            }
            else if (report.Complete)
            {
                Complete++;
            }
            else
            {
                Incomplete++;
            }
        }

        /// <summary>One line for people.</summary>
        public string Describe() =>
            $"{Files} file{(Files == 1 ? "" : "s")}: {Complete + Incomplete} accepted ({Complete} complete, {Incomplete} without receipts), {Rejected} rejected";

        /// <summary>The same as JSON.</summary>
        public JsonObject ToJson() => new()
        {
            ["totals"] = new JsonObject { ["files"] = Files, ["accepted"] = Complete + Incomplete, ["complete"] = Complete, ["incomplete"] = Incomplete, ["rejected"] = Rejected },
        };
    }

    internal interface IVerifyOutput
    {
        void Report(string path, AuditReport report);

        void Totals(Totals totals);
    }

    internal sealed class JsonOutput : IVerifyOutput
    {
        public void Report(string path, AuditReport report)
        {
            var record = JsonNode.Parse(report.ToJson())!.AsObject();
            var withFile = new JsonObject { ["file"] = path };
            foreach (var (key, value) in record.ToList())
            {
                record.Remove(key);
                withFile[key] = value;
            }

            Console.WriteLine(withFile.ToJsonString());
        }

        public void Totals(Totals totals) => Console.WriteLine(totals.ToJson().ToJsonString());
    }
}
