using SecureChat.Evidence.Audit;
using static SecureChat.Evidence.Tests.Audit.AuditAssert;

namespace SecureChat.Evidence.Tests.Audit;

public sealed class TruncationTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public void Torn_last_line_is_reported_and_the_rest_is_still_checked()
    {
        var file = fixture.ClientFile;
        var torn = file.LineOf("s2c", 3);
        var bytes = file.Copy().KeepFirst(torn).Bytes();

        // The write of that line stopped half way: no newline, half the JSON.
        var report = file.AuditBytes(bytes[..^(file.Line(torn).Length / 2 + 1)]);

        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        Assert.False(report.Complete);
        Assert.True(report.Truncated);
        Assert.Null(report.FirstFailure);
        Assert.Equal(torn - 1, report.LinesRead);
        Assert.Equal(torn - 2, report.MessagesVerified);
        var finding = Assert.Single(report.Findings, f => f.Kind == AuditFindingKind.TruncatedLine);
        Assert.Equal((torn, AuditSeverity.Warning), (finding.LineNumber, finding.Severity));
    }

    [Fact]
    public void Complete_line_without_its_newline_is_still_torn()
    {
        // The writer emits a line and its newline in one write; without the newline the write did not finish.
        var file = fixture.ClientFile;
        var report = file.AuditBytes(file.Bytes()[..^1]);

        Assert.True(report.Accepted);
        Assert.False(report.Complete);
        Assert.True(report.Truncated);
        Assert.Equal(file.Count - 1, report.LinesRead);
        Assert.Contains(report.Findings, f => f.Kind == AuditFindingKind.TruncatedLine && f.LineNumber == file.Count);
    }

    [Fact]
    public void File_cut_after_a_complete_line_is_accepted_but_not_complete()
    {
        var file = fixture.ClientFile;
        file.KeepFirst(file.LineOf("s2c", 2));

        var report = file.AuditBytes(file.Bytes());

        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        Assert.False(report.Complete);
        Assert.False(report.Truncated);
        Assert.Equal((3L, 2L), (report.ClientToServerMessages, report.ServerToClientMessages));
        Assert.Equal(2, report.Findings.Count(f => f.Kind == AuditFindingKind.Incomplete));
    }

    [Fact]
    public void File_cut_between_the_receipts_is_accepted_but_not_complete()
    {
        var file = fixture.ClientFile;
        file.KeepFirst(file.ReceiptLineOf("client"));

        var report = file.Audit();

        Assert.True(report.Accepted);
        Assert.False(report.Complete);
        Assert.NotNull(report.ClientReceipt);
        Assert.Null(report.ServerReceipt);
    }

    [Fact]
    public void Torn_header_leaves_nothing_to_check()
    {
        var file = fixture.ClientFile;
        var report = file.AuditBytes(file.Line(1)[..100]);

        AssertFails(report, 1, AuditFindingKind.TruncatedLine);
        Assert.True(report.Truncated);
        Assert.Equal(0, report.LinesRead);
    }

    [Fact]
    public void Header_only_file_is_accepted_with_no_messages()
    {
        var report = fixture.ClientFile.KeepFirst(1).Audit();

        Assert.True(report.Accepted);
        Assert.False(report.Complete);
        Assert.Equal(0, report.MessagesVerified);
    }

    [Fact]
    public void Garbage_in_the_middle_is_a_malformed_line()
    {
        var file = fixture.ClientFile;
        file.Insert(3, "{\"kind\":\"msg\",\"dir\":\"c2s\"}"u8.ToArray());

        AssertFails(file.Audit(), 3, AuditFindingKind.MalformedLine);
        AssertFails(fixture.ClientFile.Insert(5, []).Audit(), 5, AuditFindingKind.MalformedLine);
        AssertFails(fixture.ClientFile.Insert(2, "\u00ff\u00fe"u8.ToArray()).Audit(), 2, AuditFindingKind.MalformedLine);
    }

    [Fact]
    public void Overlong_line_is_malformed_before_it_is_parsed()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 2);
        var padded = file.Line(line)[..^1].Concat(Enumerable.Repeat((byte)' ', AuditOptions.Default.MaxLineBytes)).Append((byte)'}');
        file.Replace(line, padded.ToArray());

        var report = file.Audit();

        AssertFails(report, line, AuditFindingKind.MalformedLine);
        Assert.Contains("longer", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Carriage_returns_before_newlines_are_tolerated()
    {
        var file = fixture.ClientFile;
        var crlf = file.Bytes().SelectMany(b => b == (byte)'\n' ? new[] { (byte)'\r', b } : [b]).ToArray();

        Assert.True(file.AuditBytes(crlf).Complete);
    }
}
