using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence.Audit;

/// <summary>Checks line 1 (protocol §4.8 item 1): the header fields, both certificates against the Root CA at
/// <c>started_ms</c> (protocol §6), the handshake, and that <c>session_id</c> is TH2[:16].</summary>
internal static class HeaderAuditor
{
    private const int HeaderLine = 1;

    /// <summary>Audits the header; returns the established session, or <see langword="null"/> after recording the failure.</summary>
    public static AuditedSession? Audit(TranscriptRecord? record, X509Certificate2 root, AuditOptions options, AuditRun run)
    {
        if (record is not TranscriptHeader header)
        {
            run.Fail(HeaderLine, record is null ? AuditFindingKind.MalformedLine : AuditFindingKind.BadHeader,
                record is null ? "line 1 is not a well-formed transcript record" : "line 1 is not a transcript header");
            return null;
        }

        run.Side = header.Side;
        run.SessionId = header.SessionId;
        run.Username = header.Username;
        run.StartedMs = header.StartedMs;
        if (CheckFields(header, out var claimedSessionId, out var started) is { } fieldProblem)
        {
            run.Fail(HeaderLine, AuditFindingKind.BadHeader, fieldProblem);
            return null;
        }

        var client = PemFiles.TryParseCertificate(header.ClientCert);
        var server = PemFiles.TryParseCertificate(header.ServerCert);
        if (client is null || server is null)
        {
            client?.Dispose();
            server?.Dispose();
            run.Fail(HeaderLine, AuditFindingKind.CertificateInvalid,
                $"the {(client is null ? "client" : "server")} certificate is not a single well-formed PEM certificate");
            return null;
        }

        var session = new AuditedSession(claimedSessionId, client, server);
        run.ClientCertificateSubject = client.Subject;
        run.ServerCertificateSubject = server.Subject;
        if (!CheckSession(header, session, root, options, started, run))
        {
            session.Dispose();
            return null;
        }

        return session;
    }

    private static string? CheckFields(TranscriptHeader header, out byte[] sessionId, out DateTimeOffset started)
    {
        sessionId = [];
        started = default;
        if (header.Version != 1)
        {
            return $"the header names format version {header.Version}, only 1 exists";
        }

        if (!Sides.TryFromWire(header.Side, out _))
        {
            return "the side in the header is neither client nor server";
        }

        if (!WireBytes.TryFromLowerHex(header.SessionId, KeySchedule.SessionIdLength, out sessionId))
        {
            return $"the session_id in the header is not {KeySchedule.SessionIdLength} bytes of lowercase hex";
        }

        if (header.StartedMs < DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
            || header.StartedMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return "the started_ms in the header is not a representable time";
        }

        started = DateTimeOffset.FromUnixTimeMilliseconds(header.StartedMs);
        return null;
    }

    private static bool CheckSession(TranscriptHeader header, AuditedSession session, X509Certificate2 root, AuditOptions options,
        DateTimeOffset started, AuditRun run)
    {
        if (CheckCertificates(session, root, options, started) is { } certificateProblem)
        {
            run.Fail(HeaderLine, AuditFindingKind.CertificateInvalid, certificateProblem);
            return false;
        }

        using var keys = PeerKeys.From(session.ClientCertificate, session.ServerCertificate);
        if (keys is null)
        {
            run.Fail(HeaderLine, AuditFindingKind.CertificateInvalid, "a certificate key is neither RSA nor ECDSA");
            return false;
        }

        if (HandshakeAuditor.Check(header, session, keys, out var th2) is { } handshakeProblem)
        {
            run.Fail(HeaderLine, AuditFindingKind.HandshakeInvalid, handshakeProblem);
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(th2.AsSpan(0, KeySchedule.SessionIdLength), session.SessionId))
        {
            run.Fail(HeaderLine, AuditFindingKind.SessionIdMismatch,
                $"the session_id in the header is not TH2[:16] of its handshake ({WireBytes.ToHex(th2.AsSpan(0, KeySchedule.SessionIdLength))})");
            return false;
        }

        return true;
    }

    private static string? CheckCertificates(AuditedSession session, X509Certificate2 root, AuditOptions options, DateTimeOffset started)
    {
        var clientPolicy = new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Client,
            ExpectedName = options.ExpectedClientName,
            RevokedSerials = options.RevokedSerials,
        };
        var clientCheck = new CertificateValidator(clientPolicy).Validate(session.ClientCertificate, started);
        if (!clientCheck.IsValid)
        {
            return $"client certificate rejected: {clientCheck.Reason}";
        }

        if (options.ExpectedClientEmail is { } email && !CertificateValidator.MatchesEmail(session.ClientCertificate, email))
        {
            return "client certificate does not carry the expected e-mail address";
        }

        var serverPolicy = new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Server,
            ExpectedName = options.ExpectedServerName,
            RevokedSerials = options.RevokedSerials,
        };
        var serverCheck = new CertificateValidator(serverPolicy).Validate(session.ServerCertificate, started);
        return serverCheck.IsValid ? null : $"server certificate rejected: {serverCheck.Reason}";
    }
}
