namespace SecureChat.Cli.Tests;

/// <summary><c>securechat verify</c> on edited copies of a real client transcript (alice's in <see cref="RecordedChat"/>:
/// a header, c2s 1–2, s2c 1–2 with plaintext, then both receipts). Each edit must be named by its kind and line.</summary>
/// <remarks>The auditor's rule (docs/PROTOCOL.md §4.8): a file is rejected, and <c>verify</c> exits 1, only when a
/// complete line fails a check. A file cut short is not tampered evidence but less of it: what is left is checked,
/// accepted if it holds up, exit code 0, and reported incomplete because the receipts that would prove the rest are
/// gone. A torn last line (no newline: its write never finished) is left out the same way and reported as truncated.</remarks>
[Collection(RecordedChatCollection.Name)]
public sealed class TranscriptTamperingTests(RecordedChat chat) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task An_unchanged_copy_is_accepted_and_complete()
    {
        var copy = Edit().Save(_directory.File("copy.jsonl"));

        var (exitCode, report) = await Verifier.VerifyOneAsync(chat.CaCertificate, copy);

        Assert.Equal(0, exitCode);
        Verifier.AssertAccepted(report, complete: true);
        Assert.Equal(4, (int)report["messages_verified"]!);
        Assert.Equal(4, (int)report["plaintexts_verified"]!);
    }

    [Fact]
    public async Task An_edited_ciphertext_fails_its_signature()
    {
        var transcript = Edit();
        var line = transcript.MessageLine("s2c", 1);
        transcript.Edit(line, "ct", TranscriptEditor.FlipBase64);

        await AssertRejectedAsync(transcript, "bad_message_signature", line);
    }

    [Fact]
    public async Task An_edited_signature_fails()
    {
        var transcript = Edit();
        var line = transcript.MessageLine("c2s", 2);
        transcript.Edit(line, "sig", TranscriptEditor.FlipBase64);

        await AssertRejectedAsync(transcript, "bad_message_signature", line);
    }

    [Fact]
    public async Task An_edited_plaintext_does_not_open_its_commitment()
    {
        var transcript = Edit();
        var line = transcript.MessageLine("c2s", 1);
        transcript.Edit(line, "plaintext", TranscriptEditor.FlipBase64);

        await AssertRejectedAsync(transcript, "commit_mismatch", line);
    }

    [Fact]
    public async Task A_deleted_message_leaves_a_gap_where_the_next_one_of_its_direction_stands()
    {
        var transcript = Edit();
        var deleted = transcript.MessageLine("c2s", 1);
        var next = transcript.MessageLine("c2s", 2);
        transcript.Delete(deleted);

        // Everything after the deleted line moves up by one.
        await AssertRejectedAsync(transcript, "sequence_gap", next - 1);
    }

    [Fact]
    public async Task A_deleted_last_message_is_caught_by_the_receipt_that_covers_it()
    {
        var transcript = Edit();
        var deleted = transcript.MessageLine("s2c", 2);
        var firstReceipt = Math.Min(transcript.ReceiptLine("client"), transcript.ReceiptLine("server"));
        Assert.True(deleted < firstReceipt, transcript.Text);
        transcript.Delete(deleted);

        await AssertRejectedAsync(transcript, "receipt_beyond_transcript", firstReceipt - 1);
    }

    [Fact]
    public async Task Two_swapped_messages_of_one_direction_are_out_of_sequence()
    {
        var transcript = Edit();
        var first = transcript.MessageLine("s2c", 1);
        var second = transcript.MessageLine("s2c", 2);
        transcript.Swap(first, second);

        // Where s2c 1 stood, s2c 2 now comes first: a seqno ahead of the expected one.
        await AssertRejectedAsync(transcript, "sequence_gap", first);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    public async Task An_edited_receipt_hash_fails_the_receipt_signature(string peer)
    {
        var transcript = Edit();
        var line = transcript.ReceiptLine(peer);
        transcript.Edit(line, "transcript_sha256", TranscriptEditor.FlipHex);

        // The hash is signed: an edit breaks the signature before the hash is compared with the messages.
        await AssertRejectedAsync(transcript, "bad_receipt", line);
    }

    [Fact]
    public async Task A_torn_last_line_is_left_out_and_the_rest_accepted_but_incomplete()
    {
        var transcript = Edit();
        var last = transcript.Count;
        var torn = transcript.SaveTorn(_directory.File("torn.jsonl"), last);

        var (exitCode, report) = await Verifier.VerifyOneAsync(chat.CaCertificate, torn);

        Assert.Equal(0, exitCode);
        Verifier.AssertAccepted(report, complete: false);
        Assert.True((bool)report["truncated"]!);
        Assert.Equal(last - 1, (int)report["lines_read"]!);
        Assert.Equal(4, (int)report["messages_verified"]!);
        Assert.Equal(1, (int)report["receipts_verified"]!);
        var warning = Assert.Single(report["findings"]!.AsArray(), f => (string?)f!["kind"] == "truncated_line")!;
        Assert.Equal(last, (int)warning["line_number"]!);
        Assert.Equal("warning", (string?)warning["severity"]);
    }

    [Fact]
    public async Task A_line_torn_among_the_messages_leaves_the_messages_before_it()
    {
        var transcript = Edit();
        var line = transcript.MessageLine("s2c", 1);
        var torn = transcript.SaveTorn(_directory.File("torn.jsonl"), line);

        var (exitCode, report) = await Verifier.VerifyOneAsync(chat.CaCertificate, torn);

        Assert.Equal(0, exitCode);
        Verifier.AssertAccepted(report, complete: false);
        Assert.True((bool)report["truncated"]!);
        Assert.Equal(line - 2, (int)report["messages_verified"]!);
        Assert.Equal(0, (int)report["receipts_verified"]!);
    }

    [Fact]
    public async Task A_file_cut_after_a_complete_line_is_accepted_but_incomplete()
    {
        var transcript = Edit();
        var firstReceipt = Math.Min(transcript.ReceiptLine("client"), transcript.ReceiptLine("server"));
        var cut = transcript.KeepFirst(firstReceipt - 1).Save(_directory.File("cut.jsonl"));

        var (exitCode, report) = await Verifier.VerifyOneAsync(chat.CaCertificate, cut);

        Assert.Equal(0, exitCode);
        Verifier.AssertAccepted(report, complete: false);
        Assert.False((bool)report["truncated"]!);
        Assert.Equal(4, (int)report["messages_verified"]!);
        Assert.Equal(0, (int)report["receipts_verified"]!);
        Assert.Null(report["client_receipt"]);
        Assert.Null(report["server_receipt"]);
        Assert.All(report["findings"]!.AsArray(), f => Assert.Equal("incomplete", (string?)f!["kind"]));
        Assert.Equal(2, report["findings"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_human_report_names_the_verdict_the_line_and_the_reason()
    {
        var transcript = Edit();
        var line = transcript.MessageLine("s2c", 1);
        var tampered = transcript.Edit(line, "ct", TranscriptEditor.FlipBase64).Save(_directory.File("tampered.jsonl"));

        var result = await Verifier.RunAsync(chat.CaCertificate, tampered, chat.AliceTranscript);

        Assert.True(result.ExitCode == 1, result.ToString());
        CliAssert.NoStackTrace(result);
        Assert.Contains("REJECTED", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"line {line}: BadMessageSignature", result.StandardOutput, StringComparison.Ordinal);

        // One bad file fails the run, and the good one beside it is still reported as good.
        Assert.Contains("ACCEPTED, complete", result.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private TranscriptEditor Edit() => TranscriptEditor.Load(chat.AliceTranscript);

    private async Task AssertRejectedAsync(TranscriptEditor transcript, string kind, int lineNumber)
    {
        var file = transcript.Save(_directory.File("tampered.jsonl"));

        var (exitCode, report) = await Verifier.VerifyOneAsync(chat.CaCertificate, file);

        Assert.Equal(1, exitCode);
        Verifier.AssertRejected(report, kind, lineNumber);
    }
}
