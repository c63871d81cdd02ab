using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Evidence.Audit;

/// <summary>Checks one transcript file with nothing but the Root CA certificate (docs/PROTOCOL.md §4.8).</summary>
/// <remarks>Pure: it reads the lines it is given and touches no file, clock or network. The file is judged line by
/// line in order and the audit stops at the first error, which is reported with its 1-based line number; the lines of
/// large files are parsed and their signatures verified on every core, concurrently with the in-order judgement and
/// without changing which error is reported.</remarks>
public static class TranscriptAuditor
{
    private const byte NewLine = (byte)'\n';

    /// <summary>Audits the lines of a file, each without its terminating newline; every line counts as complete.</summary>
    public static AuditReport Audit(IReadOnlyList<ReadOnlyMemory<byte>> lines, X509Certificate2 root, AuditOptions? options = null) =>
        Run(lines, torn: false, root, options);

    /// <summary>Audits a whole file read from <paramref name="transcript"/>, which is read to its end and not disposed.</summary>
    /// <remarks>Lines end at <c>'\n'</c>. A last line without one is torn (its write never completed): it is
    /// reported as <see cref="AuditFindingKind.TruncatedLine"/> and the file is judged up to the line before.</remarks>
    public static AuditReport Audit(Stream transcript, X509Certificate2 root, AuditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        using var buffer = new MemoryStream();
        transcript.CopyTo(buffer);
        var lines = SplitLines(buffer.GetBuffer().AsMemory(0, checked((int)buffer.Length)), out var torn);
        return Run(lines, torn, root, options);
    }

    /// <summary>Splits <paramref name="content"/> at <c>'\n'</c>; a non-empty rest after the last one is torn and left out.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> content, out bool torn)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        var rest = content;
        int end;
        while ((end = rest.Span.IndexOf(NewLine)) >= 0)
        {
            lines.Add(rest[..end]);
            rest = rest[(end + 1)..];
        }

        torn = !rest.IsEmpty;
        return lines;
    }

    private static AuditReport Run(IReadOnlyList<ReadOnlyMemory<byte>> lines, bool torn, X509Certificate2 root, AuditOptions? options)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(root);
        options ??= AuditOptions.Default;
        var run = new AuditRun();
        var complete = false;
        if (lines.Count == 0)
        {
            if (torn)
            {
                run.Fail(1, AuditFindingKind.TruncatedLine, "the header line is incomplete: its write never finished");
            }
            else
            {
                run.Fail(1, AuditFindingKind.BadHeader, "the file is empty");
            }
        }
        else
        {
            complete = AuditLines(lines, root, options, run);
        }

        if (torn && lines.Count > 0)
        {
            run.Warn(lines.Count + 1, AuditFindingKind.TruncatedLine,
                "the last line has no terminating newline: its write never finished, so it is not evidence and was left out");
        }

        return run.ToReport(lines.Count, torn, complete && !torn);
    }

    private static bool AuditLines(IReadOnlyList<ReadOnlyMemory<byte>> lines, X509Certificate2 root, AuditOptions options, AuditRun run)
    {
        var header = Parse(lines, 0, options, run);
        using var session = HeaderAuditor.Audit(header, root, options, run);
        if (session is null)
        {
            return false;
        }

        return BodyAuditor.Audit(lines, header as TranscriptHeader, session, root, options, run);
    }

    private static TranscriptRecord? Parse(IReadOnlyList<ReadOnlyMemory<byte>> lines, int index, AuditOptions options, AuditRun run)
    {
        var line = lines[index].Span;
        if (line.Length > options.MaxLineBytes)
        {
            run.Fail(index + 1, AuditFindingKind.MalformedLine, $"the line is longer than {options.MaxLineBytes} bytes");
            return null;
        }

        return TranscriptJson.TryParse(line);
    }
}
