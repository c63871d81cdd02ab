using SecureChat.Evidence.Audit;
using SecureChat.Protocol;
using SecureChat.Protocol.Session;
using static SecureChat.Evidence.Tests.Audit.AuditAssert;

namespace SecureChat.Evidence.Tests.Audit;

public sealed class MessageTamperingTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Theory]
    [InlineData("ct")]
    [InlineData("sig")]
    [InlineData("ts")]
    [InlineData("commit")]
    public void Edited_signed_field_fails_the_signature_on_its_line(string field)
    {
        var file = fixture.ServerFile;
        var line = file.LineOf("s2c", 2);
        file.Edit<TranscriptMessageLine>(line, m => field switch
        {
            "ct" => m with { Ct = Tamper.FlipBase64(m.Ct, 77) },
            "sig" => m with { Sig = Tamper.FlipBase64(m.Sig, 9) },
            "ts" => m with { Ts = m.Ts + 1 },
            _ => m with { Commit = Tamper.FlipBase64(m.Commit) },
        });

        AssertFails(file.Audit(), line, AuditFindingKind.BadMessageSignature);
    }

    [Fact]
    public void Edited_commit_fails_the_signature_before_the_plaintext_is_compared()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 3);
        file.Edit<TranscriptMessageLine>(line, m => m with { Commit = Tamper.FlipBase64(m.Commit) });

        AssertFails(file.Audit(), line, AuditFindingKind.BadMessageSignature);
    }

    [Fact]
    public void Edited_plaintext_does_not_match_its_commit()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("s2c", 1);
        file.Edit<TranscriptMessageLine>(line, m => m with { Plaintext = Tamper.FlipBase64(m.Plaintext!, 8 * 10) });

        var report = file.Audit();

        AssertFails(report, line, AuditFindingKind.CommitMismatch);
        Assert.Equal(report.PlaintextsVerified, report.MessagesVerified);
    }

    [Fact]
    public void Plaintext_that_is_not_canonical_base64_is_malformed()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 1);
        file.Edit<TranscriptMessageLine>(line, m => m with { Plaintext = m.Plaintext + " " });

        AssertFails(file.Audit(), line, AuditFindingKind.MalformedLine);
    }

    [Fact]
    public void Message_without_its_plaintext_is_still_a_verified_message()
    {
        var file = fixture.ClientFile;
        file.Edit<TranscriptMessageLine>(file.LineOf("c2s", 2), m => m with { Plaintext = null });

        var report = file.Audit();

        Assert.True(report.Complete);
        Assert.Equal((7, 6), (report.MessagesVerified, report.PlaintextsVerified));
    }

    [Fact]
    public void Deleted_message_leaves_a_gap_at_the_next_one_of_its_direction()
    {
        var file = fixture.ClientFile;
        var deleted = file.LineOf("c2s", 2);
        file.Delete(deleted);

        AssertFails(file.Audit(), file.LineOf("c2s", 3), AuditFindingKind.SequenceGap);
    }

    [Fact]
    public void Deleted_last_message_of_a_direction_is_caught_by_the_receipts()
    {
        var file = fixture.ClientFile;
        file.Delete(file.LineOf("c2s", 4));

        AssertFails(file.Audit(), file.ReceiptLineOf("client"), AuditFindingKind.ReceiptBeyondTranscript);
    }

    [Fact]
    public void Swapped_messages_of_one_direction_fail_at_the_first_of_them()
    {
        var file = fixture.ServerFile;
        var first = file.LineOf("s2c", 2);
        var second = file.LineOf("s2c", 3);
        file.Swap(first, second);

        AssertFails(file.Audit(), first, AuditFindingKind.SequenceGap);
    }

    [Fact]
    public void Swapped_messages_of_different_directions_change_nothing_that_is_signed()
    {
        // File order across directions is the order this side processed them; only each direction's order is evidence.
        var file = fixture.ServerFile;
        file.Swap(file.LineOf("c2s", 1), file.LineOf("s2c", 1));

        Assert.True(file.Audit().Complete);
    }

    [Fact]
    public void Duplicated_message_line_is_a_repeat()
    {
        var file = fixture.ClientFile;
        var original = file.LineOf("s2c", 2);
        file.Insert(original + 1, file.Line(original));

        AssertFails(file.Audit(), original + 1, AuditFindingKind.SequenceRepeat);
    }

    [Fact]
    public void Message_moved_later_in_its_direction_leaves_a_gap_where_it_was()
    {
        var file = fixture.ClientFile;
        var line = file.Line(file.LineOf("c2s", 1));
        file.Delete(file.LineOf("c2s", 1)).Insert(file.LineOf("c2s", 2) + 1, line);

        AssertFails(file.Audit(), file.LineOf("c2s", 2), AuditFindingKind.SequenceGap);
    }

    [Fact]
    public void Message_copied_from_another_session_does_not_verify()
    {
        var file = fixture.ClientFile;
        var other = fixture.OtherSessionClientFile;
        var line = file.LineOf("s2c", 2);
        file.Replace(line, other.Line(other.LineOf("s2c", 2)));

        AssertFails(file.Audit(), line, AuditFindingKind.BadMessageSignature);
    }

    [Fact]
    public void Message_with_its_direction_flipped_does_not_verify()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 4);

        // Make it look like the next s2c message so that only the signature can tell.
        file.Edit<TranscriptMessageLine>(line, m => m with { Dir = "s2c" });

        AssertFails(file.Audit(), line, AuditFindingKind.BadMessageSignature);
    }

    [Fact]
    public void File_owner_rewriting_its_own_message_is_caught_by_the_receipts()
    {
        // The client holds its own key, so it can re-sign a different text under the same seqno; only the receipts,
        // which the server signed over the original, expose it.
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 2);
        var sessionId = fixture.SessionId;
        file.Edit<TranscriptMessageLine>(line, m =>
        {
            var plaintext = "{\"text\":\"I never said that\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"u8.ToArray();
            var commit = MessageEnvelope.Commitment(plaintext);
            var ct = Convert.FromBase64String(m.Ct);
            var meta = MessageEnvelope.Meta(sessionId, Direction.ClientToServer, m.Seqno, m.Ts);
            var sig = fixture.ClientIdentity.SigningKey.Sign(Labels.Msg, MessageEnvelope.SignedContent(meta, ct, commit));
            return m with { Commit = Convert.ToBase64String(commit), Sig = Convert.ToBase64String(sig), Plaintext = Convert.ToBase64String(plaintext) };
        });

        AssertFails(file.Audit(), file.ReceiptLineOf("client"), AuditFindingKind.ReceiptHashMismatch);
    }

    [Fact]
    public void Message_appended_after_its_senders_receipt_is_refused()
    {
        var file = fixture.ClientFile;
        var last = (TranscriptMessageLine)file.Record(file.LineOf("c2s", 4));
        var sessionId = fixture.SessionId;
        var plaintext = "{\"text\":\"p.s.\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"u8.ToArray();
        var commit = MessageEnvelope.Commitment(plaintext);
        var meta = MessageEnvelope.Meta(sessionId, Direction.ClientToServer, 5, last.Ts);
        var ct = new byte[32];
        var sig = fixture.ClientIdentity.SigningKey.Sign(Labels.Msg, MessageEnvelope.SignedContent(meta, ct, commit));
        file.Append(last with
        {
            Seqno = 5,
            Ct = Convert.ToBase64String(ct),
            Commit = Convert.ToBase64String(commit),
            Sig = Convert.ToBase64String(sig),
            Plaintext = Convert.ToBase64String(plaintext),
        });

        AssertFails(file.Audit(), file.Count, AuditFindingKind.MessageAfterReceipt);
    }

    [Fact]
    public void Unknown_direction_is_malformed()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 1);
        file.Edit<TranscriptMessageLine>(line, m => m with { Dir = "c2c" });

        AssertFails(file.Audit(), line, AuditFindingKind.MalformedLine);
    }

    [Fact]
    public void Non_canonical_ct_is_malformed()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("s2c", 3);
        file.Edit<TranscriptMessageLine>(line, m => m with { Ct = m.Ct.TrimEnd('=') });

        AssertFails(file.Audit(), line, AuditFindingKind.MalformedLine);
    }
}
