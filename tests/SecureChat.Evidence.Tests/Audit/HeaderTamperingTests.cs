using SecureChat.Evidence.Audit;
using SecureChat.Protocol.Messages;
using static SecureChat.Evidence.Tests.Audit.AuditAssert;

namespace SecureChat.Evidence.Tests.Audit;

public sealed class HeaderTamperingTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public void Header_with_another_session_id_does_not_match_its_handshake()
    {
        var file = fixture.ClientFile;
        var other = (TranscriptHeader)fixture.OtherSessionClientFile.Record(1);
        file.Edit<TranscriptHeader>(1, h => h with { SessionId = other.SessionId });

        AssertFails(file.Audit(), 1, AuditFindingKind.SessionIdMismatch);
    }

    [Fact]
    public void Header_of_another_session_fails_at_the_first_message()
    {
        // A consistent header from another session verifies on its own; the messages are bound to their session.
        var file = fixture.ClientFile;
        file.Replace(1, fixture.OtherSessionClientFile.Line(1));

        AssertFails(file.Audit(), 2, AuditFindingKind.BadMessageSignature);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    public void Header_certificate_replaced_by_another_valid_one_disagrees_with_the_handshake(string which)
    {
        var file = fixture.ServerFile;
        file.Edit<TranscriptHeader>(1, h => which == "client"
            ? h with { ClientCert = TestPki.NoExtensions.ExportCertificatePem() }
            : h with { ServerCert = TestPki.EcdsaServer.ExportCertificatePem() });

        var report = file.Audit();

        AssertFails(report, 1, AuditFindingKind.HandshakeInvalid);
        Assert.Contains($"another {which} certificate", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    public void Header_certificate_in_other_pem_text_but_the_same_der_agrees_with_the_handshake(string which)
    {
        // A certificate is its DER: CRLF line endings and a final newline are PEM text, not part of it.
        static string Reformat(string pem) => pem.ReplaceLineEndings("\r\n") + "\r\n";
        var file = fixture.ClientFile;
        file.Edit<TranscriptHeader>(1, h => which == "client"
            ? h with { ClientCert = Reformat(h.ClientCert) }
            : h with { ServerCert = Reformat(h.ServerCert) });

        var report = file.Audit();

        Assert.True(report.Accepted, report.FirstFailure?.Reason);
        Assert.True(report.Complete);
    }

    [Theory]
    [InlineData("not a certificate")]
    [InlineData("twice")]
    public void Hello_carrying_a_pem_that_is_not_one_certificate_is_refused(string pem)
    {
        var file = fixture.ClientFile;
        file.Edit<TranscriptHeader>(1, h =>
        {
            var hello = (HelloMessage)Message(h, 0);
            var carried = pem == "twice" ? hello.ClientCert + "\n" + hello.ClientCert : pem;
            return h with { Handshake = [Frame(hello with { ClientCert = carried }), .. h.Handshake.Skip(1)] };
        });

        var report = file.Audit();

        AssertFails(report, 1, AuditFindingKind.HandshakeInvalid);
        Assert.Contains("not a single well-formed PEM certificate", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hello_and_header_both_carrying_another_certificate_fail_the_dh_signature()
    {
        var file = fixture.ClientFile;
        var pem = TestPki.NoExtensions.ExportCertificatePem();
        file.Edit<TranscriptHeader>(1, h => h with
        {
            ClientCert = pem,
            Handshake = [Frame((HelloMessage)Message(h, 0) with { ClientCert = pem }), .. h.Handshake.Skip(1)],
        });

        var report = file.Audit();

        AssertFails(report, 1, AuditFindingKind.HandshakeInvalid);
        Assert.Contains("dh_client (auth) signature", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(7)]
    public void Any_edited_handshake_frame_fails_the_handshake(int index)
    {
        var file = fixture.ClientFile;
        file.Edit<TranscriptHeader>(1, h =>
        {
            var frames = h.Handshake.ToList();
            frames[index] = Frame(Message(h, index) switch
            {
                HelloMessage m => m with { Nonce = Tamper.FlipBase64(m.Nonce) },
                ServerHelloMessage m => m with { Nonce = Tamper.FlipBase64(m.Nonce) },
                DhServerMessage m => m with { B = Tamper.FlipBase64(m.B, 8 * 100) },
                DhClientMessage m => m with { A = Tamper.FlipBase64(m.A, 8 * 100) },
                AuthRequestMessage m => m with { Ct = Tamper.FlipBase64(m.Ct) },
                var other => throw new InvalidOperationException(other.ToString()),
            });
            return h with { Handshake = frames };
        });

        AssertFails(file.Audit(), 1, AuditFindingKind.HandshakeInvalid);
    }

    [Fact]
    public void Edited_auth_response_is_caught_by_the_chat_phase_signature()
    {
        // The auditor cannot decrypt it, but the client's chat-phase DH signature covers TH up to it.
        var file = fixture.ClientFile;
        file.Edit<TranscriptHeader>(1, h =>
        {
            var frames = h.Handshake.ToList();
            frames[5] = Frame((AuthResponseMessage)Message(h, 5) with { Ct = Tamper.FlipBase64(((AuthResponseMessage)Message(h, 5)).Ct) });
            return h with { Handshake = frames };
        });

        var report = file.Audit();

        AssertFails(report, 1, AuditFindingKind.HandshakeInvalid);
        Assert.Contains("dh_client (chat)", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Handshake_frames_out_of_order_or_missing_are_refused()
    {
        var swapped = fixture.ClientFile.Edit<TranscriptHeader>(1, h =>
            h with { Handshake = [h.Handshake[1], h.Handshake[0], .. h.Handshake.Skip(2)] });
        var missing = fixture.ClientFile.Edit<TranscriptHeader>(1, h => h with { Handshake = h.Handshake.Take(7).ToList() });
        var lengthPrefix = fixture.ClientFile.Edit<TranscriptHeader>(1, h =>
        {
            var frame = Convert.FromBase64String(h.Handshake[0]);
            frame[3]--;
            return h with { Handshake = [Convert.ToBase64String(frame), .. h.Handshake.Skip(1)] };
        });

        var authFirst = fixture.ClientFile.Edit<TranscriptHeader>(1, h =>
            h with { Handshake = [h.Handshake[4], h.Handshake[5], .. h.Handshake.Skip(2)] });
        var unknownType = fixture.ClientFile.Edit<TranscriptHeader>(1, h =>
            h with { Handshake = [Convert.ToBase64String(FrameWriterFrame("{\"type\":\"hello2\"}"u8)), .. h.Handshake.Skip(1)] });
        var notBase64 = fixture.ClientFile.Edit<TranscriptHeader>(1, h => h with { Handshake = ["%%%%", .. h.Handshake.Skip(1)] });

        AssertFails(swapped.Audit(), 1, AuditFindingKind.HandshakeInvalid);
        AssertFails(authFirst.Audit(), 1, AuditFindingKind.HandshakeInvalid);
        AssertFails(unknownType.Audit(), 1, AuditFindingKind.HandshakeInvalid);
        AssertFails(notBase64.Audit(), 1, AuditFindingKind.HandshakeInvalid);
        AssertFails(missing.Audit(), 1, AuditFindingKind.HandshakeInvalid);
        AssertFails(lengthPrefix.Audit(), 1, AuditFindingKind.HandshakeInvalid);
    }

    [Fact]
    public void Handshake_with_failed_logins_before_the_successful_one_verifies()
    {
        using var conversation = new RecordedConversation(failedLogins: 2).Handshake().Say(fromClient: true, "hi");
        conversation.Deliver(toServer: true, conversation.End(fromClient: true));
        var file = new TranscriptFile(conversation.ClientLog.Lines);

        Assert.Equal(12, ((TranscriptHeader)file.Record(1)).Handshake.Count);
        Assert.True(file.Audit().Complete, file.Audit().FirstFailure?.Reason);
    }

    [Fact]
    public void File_under_another_root_is_refused()
    {
        var report = fixture.ClientFile.Audit(root: TestPki.OtherRoot);

        AssertFails(report, 1, AuditFindingKind.CertificateInvalid);
    }

    [Fact]
    public void Certificates_are_judged_at_started_ms()
    {
        var file = fixture.ClientFile;
        file.Edit<TranscriptHeader>(1, h => h with { StartedMs = TestPki.Now.AddYears(2).ToUnixTimeMilliseconds() });

        var report = file.Audit();

        AssertFails(report, 1, AuditFindingKind.CertificateInvalid);
        Assert.Contains("expired", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_fields_are_checked()
    {
        AssertFails(fixture.ClientFile.Edit<TranscriptHeader>(1, h => h with { Version = 2 }).Audit(), 1, AuditFindingKind.BadHeader);
        AssertFails(fixture.ClientFile.Edit<TranscriptHeader>(1, h => h with { Side = "relay" }).Audit(), 1, AuditFindingKind.BadHeader);
        AssertFails(fixture.ClientFile.Edit<TranscriptHeader>(1, h => h with { SessionId = h.SessionId.ToUpperInvariant() }).Audit(),
            1, AuditFindingKind.BadHeader);
        AssertFails(fixture.ClientFile.Edit<TranscriptHeader>(1, h => h with { ClientCert = "not a certificate" }).Audit(),
            1, AuditFindingKind.CertificateInvalid);
    }

    [Fact]
    public void First_line_must_be_a_header()
    {
        var file = fixture.ClientFile;
        file.Delete(1);

        AssertFails(file.Audit(), 1, AuditFindingKind.BadHeader);
        AssertFails(fixture.ClientFile.Replace(1, "{\"kind\":\"header\""u8.ToArray()).Audit(), 1, AuditFindingKind.MalformedLine);
    }

    [Fact]
    public void Second_header_is_refused()
    {
        var file = fixture.ClientFile;
        file.Insert(4, file.Line(1));

        AssertFails(file.Audit(), 4, AuditFindingKind.DuplicateHeader);
    }

    [Fact]
    public void Empty_file_has_no_header()
    {
        var report = fixture.ClientFile.AuditBytes([]);

        AssertFails(report, 1, AuditFindingKind.BadHeader);
        Assert.Equal(0, report.LinesRead);
    }

    private static WireMessage Message(TranscriptHeader header, int index) =>
        MessageCodec.DecodeFrame(Convert.FromBase64String(header.Handshake[index]));

    private static byte[] FrameWriterFrame(ReadOnlySpan<byte> body) => SecureChat.Protocol.Framing.FrameWriter.Frame(body);

    private static string Frame(WireMessage message) => Convert.ToBase64String(MessageCodec.EncodeFrame(message));
}
