using SecureChat.Evidence.Audit;

namespace SecureChat.Evidence.Tests.Audit;

public sealed class HonestTranscriptTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public void Client_file_is_accepted_and_complete_with_every_plaintext_proven()
    {
        var file = fixture.ClientFile;
        var report = file.Audit();

        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        Assert.True(report.Complete);
        Assert.False(report.Truncated);
        Assert.Null(report.FirstFailure);
        Assert.Empty(report.Findings);
        Assert.Equal(("client", RecordedConversation.Username), (report.Side, report.Username));
        Assert.Equal(((TranscriptHeader)file.Record(1)).SessionId, report.SessionId);
        Assert.Equal((7, 7, 2), (report.MessagesVerified, report.PlaintextsVerified, report.ReceiptsVerified));
        Assert.Equal((4L, 3L), (report.ClientToServerMessages, report.ServerToClientMessages));
        Assert.Equal(file.Count, report.LinesRead);
        Assert.Equal(new ReceiptCoverage(4, 3, file.ReceiptLineOf("client")), report.ClientReceipt);
        Assert.Equal(new ReceiptCoverage(4, 3, file.ReceiptLineOf("server")), report.ServerReceipt);
        Assert.Contains(TestPki.ClientName, report.ClientCertificateSubject, StringComparison.Ordinal);
        Assert.Contains(TestPki.ServerName, report.ServerCertificateSubject, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_file_is_accepted_and_complete_without_plaintext()
    {
        var report = fixture.ServerFile.Audit();

        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        Assert.True(report.Complete);
        Assert.Equal("server", report.Side);
        Assert.Equal((7, 0, 2), (report.MessagesVerified, report.PlaintextsVerified, report.ReceiptsVerified));
    }

    [Fact]
    public void Both_files_of_a_session_name_the_same_session_and_counts()
    {
        var client = fixture.ClientFile.Audit();
        var server = fixture.ServerFile.Audit();

        Assert.Equal(client.SessionId, server.SessionId);
        Assert.Equal(client.ClientReceipt!.C2sLastSeq, server.ClientReceipt!.C2sLastSeq);
        Assert.Equal(client.ServerReceipt!.S2cLastSeq, server.ServerReceipt!.S2cLastSeq);
    }

    [Fact]
    public void Stream_of_the_file_gives_the_same_report_as_its_lines()
    {
        var file = fixture.ClientFile;

        Assert.Equal(file.Audit().ToJson(), file.AuditBytes(file.Bytes()).ToJson());
    }

    [Fact]
    public void Stream_is_only_read_and_left_open()
    {
        var file = fixture.ClientFile;
        using var stream = new MemoryStream(file.Bytes(), writable: false);

        var report = TranscriptAuditor.Audit(stream, TestPki.Root);

        Assert.True(report.Complete);
        Assert.True(stream.CanRead);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Session_where_a_message_crosses_the_receipt_is_accepted_but_not_complete()
    {
        // The server's last message is in flight when the client sends its receipt: the client still logs it,
        // so the client's own receipt does not cover it. Honest, but the conversation is not proven complete.
        using var conversation = new RecordedConversation().Handshake().Say(fromClient: true, "hi");
        var late = conversation.Send(fromClient: false, "late");
        var receipt = conversation.End(fromClient: true);
        conversation.Deliver(toServer: false, late);
        conversation.Deliver(toServer: true, receipt);

        var client = new TranscriptFile(conversation.ClientLog.Lines).Audit();
        var server = new TranscriptFile(conversation.ServerLog.Lines).Audit();

        Assert.True(client.Accepted, client.FirstFailure?.Reason);
        Assert.False(client.Complete);
        Assert.Equal(new ReceiptCoverage(1, 0, 3), client.ClientReceipt);
        var incomplete = Assert.Single(client.Findings);
        Assert.Equal((AuditFindingKind.Incomplete, AuditSeverity.Warning, 3), (incomplete.Kind, incomplete.Severity, incomplete.LineNumber));
        Assert.True(server.Accepted, server.FirstFailure?.Reason);
        Assert.False(server.Complete);
    }

    [Fact]
    public void Session_with_no_messages_is_complete()
    {
        using var conversation = new RecordedConversation().Handshake();
        conversation.Deliver(toServer: false, conversation.End(fromClient: false));

        var report = new TranscriptFile(conversation.ClientLog.Lines).Audit();

        Assert.True(report.Complete, report.FirstFailure?.Reason);
        Assert.Equal((0, 2), (report.MessagesVerified, report.ReceiptsVerified));
    }

    [Fact]
    public void Per_user_certificate_is_accepted_without_a_client_name_and_checked_by_email_on_request()
    {
        using var conversation = new RecordedConversation(clientCert: TestPki.User).Handshake().Say(fromClient: true, "hi");
        conversation.Deliver(toServer: true, conversation.End(fromClient: true));
        var file = new TranscriptFile(conversation.ClientLog.Lines);

        Assert.True(file.Audit().Complete);
        Assert.True(file.Audit(new AuditOptions { ExpectedClientEmail = TestPki.UserEmail }).Complete);
        var wrong = file.Audit(new AuditOptions { ExpectedClientEmail = "mallory@example.com" });
        Assert.Equal((1, AuditFindingKind.CertificateInvalid), (wrong.FirstFailure!.LineNumber, wrong.FirstFailure.Kind));
        var named = file.Audit(new AuditOptions { ExpectedClientName = TestPki.ClientName });
        Assert.Equal(AuditFindingKind.CertificateInvalid, named.FirstFailure!.Kind);
    }

    [Fact]
    public void Expected_names_and_revocations_are_configurable()
    {
        var file = fixture.ClientFile;

        Assert.True(file.Audit(new AuditOptions { ExpectedClientName = TestPki.ClientName }).Complete);
        Assert.True(file.Audit(new AuditOptions { ExpectedServerName = null }).Complete);
        Assert.Equal(AuditFindingKind.CertificateInvalid,
            file.Audit(new AuditOptions { ExpectedServerName = "other.local" }).FirstFailure!.Kind);
        var revoked = new HashSet<string>(StringComparer.Ordinal) { TestPki.Client.SerialNumber };
        var report = file.Audit(new AuditOptions { RevokedSerials = revoked });
        Assert.Equal(AuditFindingKind.CertificateInvalid, report.FirstFailure!.Kind);
        Assert.Contains("revoked", report.FirstFailure.Reason, StringComparison.Ordinal);
    }
}
