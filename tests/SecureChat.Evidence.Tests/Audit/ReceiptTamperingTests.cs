using SecureChat.Evidence.Audit;
using static SecureChat.Evidence.Tests.Audit.AuditAssert;

namespace SecureChat.Evidence.Tests.Audit;

public sealed class ReceiptTamperingTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    public void Edited_hash_makes_the_receipt_unauthentic(string issuer)
    {
        // Authenticity is judged first: an edited receipt attests nothing, whatever it now says.
        var file = fixture.ClientFile;
        var line = file.ReceiptLineOf(issuer);
        file.Edit<TranscriptReceiptLine>(line, r => r with { TranscriptSha256 = Flip(r.TranscriptSha256) });

        AssertFails(file.Audit(), line, AuditFindingKind.BadReceipt);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(1, 0)]
    public void Edited_counts_make_the_receipt_unauthentic(long c2sDelta, long s2cDelta)
    {
        var file = fixture.ServerFile;
        var line = file.ReceiptLineOf("server");
        file.Edit<TranscriptReceiptLine>(line, r => r with { C2sLastSeq = r.C2sLastSeq + c2sDelta, S2cLastSeq = r.S2cLastSeq + s2cDelta });

        AssertFails(file.Audit(), line, AuditFindingKind.BadReceipt);
    }

    [Fact]
    public void Edited_signature_makes_the_receipt_unauthentic()
    {
        var file = fixture.ClientFile;
        var line = file.ReceiptLineOf("client");
        file.Edit<TranscriptReceiptLine>(line, r => r with { Sig = Tamper.FlipBase64(r.Sig, 100) });

        AssertFails(file.Audit(), line, AuditFindingKind.BadReceipt);
    }

    [Fact]
    public void Receipt_claiming_the_other_issuer_does_not_verify()
    {
        var file = fixture.ClientFile;
        var line = file.ReceiptLineOf("client");
        file.Delete(file.ReceiptLineOf("server")).Edit<TranscriptReceiptLine>(line, r => r with { Peer = "server" });

        AssertFails(file.Audit(), line, AuditFindingKind.BadReceipt);
    }

    [Fact]
    public void Receipt_with_an_unknown_issuer_is_bad()
    {
        var file = fixture.ClientFile;
        var line = file.ReceiptLineOf("server");
        file.Edit<TranscriptReceiptLine>(line, r => r with { Peer = "relay" });

        AssertFails(file.Audit(), line, AuditFindingKind.BadReceipt);
    }

    [Fact]
    public void Receipt_copied_from_another_session_names_that_session()
    {
        var file = fixture.ClientFile;
        var other = fixture.OtherSessionClientFile;
        var line = file.ReceiptLineOf("server");
        file.Replace(line, other.Line(other.ReceiptLineOf("server")));

        AssertFails(file.Audit(), line, AuditFindingKind.SessionIdMismatch);
    }

    [Fact]
    public void Receipt_copied_from_another_session_with_our_session_id_does_not_verify()
    {
        var file = fixture.ClientFile;
        var other = fixture.OtherSessionClientFile;
        var line = file.ReceiptLineOf("server");
        var ours = ((TranscriptReceiptLine)file.Record(line)).SessionId;
        file.Replace(line, other.Line(other.ReceiptLineOf("server"))).Edit<TranscriptReceiptLine>(line, r => r with { SessionId = ours });

        AssertFails(file.Audit(), line, AuditFindingKind.BadReceipt);
    }

    [Fact]
    public void Receipt_moved_before_the_messages_it_covers_is_beyond_the_transcript()
    {
        var file = fixture.ClientFile;
        var line = file.ReceiptLineOf("client");
        var receipt = file.Line(line);
        file.Delete(line).Insert(2, receipt);

        AssertFails(file.Audit(), 2, AuditFindingKind.ReceiptBeyondTranscript);
    }

    [Fact]
    public void Duplicated_receipt_is_refused()
    {
        var file = fixture.ServerFile;
        var line = file.ReceiptLineOf("client");
        file.Insert(file.Count + 1, file.Line(line));

        AssertFails(file.Audit(), file.Count, AuditFindingKind.DuplicateReceipt);
    }

    [Fact]
    public void Missing_receipt_leaves_the_file_accepted_but_not_complete()
    {
        var file = fixture.ServerFile;
        file.Delete(file.ReceiptLineOf("client"));

        var report = file.Audit();

        Assert.True(report.Accepted);
        Assert.False(report.Complete);
        Assert.Null(report.ClientReceipt);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((0, AuditFindingKind.Incomplete, AuditSeverity.Warning), (finding.LineNumber, finding.Kind, finding.Severity));
    }

    private static string Flip(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];
}
