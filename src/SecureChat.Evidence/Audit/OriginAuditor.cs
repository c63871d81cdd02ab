using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Evidence.Audit;

/// <summary>Reads the kept plaintext of each message line and, for every relayed copy (a server→client plaintext
/// that names an author), runs the same origin checks as the live client (protocol §9.6.3, §15.2 item 8).</summary>
internal sealed class OriginAuditor
{
    private readonly OriginVerifier _verifier;

    public OriginAuditor(X509Certificate2 root, AuditOptions options, string? recipient)
    {
        var authors = new CertificateValidator(new CertificatePolicy
        {
            Root = root,
            Peer = ExpectedPeer.Client,
            ExpectedName = null,
            RevokedSerials = options.RevokedSerials,
        });
        var defaults = new ProtocolSettings();
        _verifier = new OriginVerifier(authors, defaults.MaxClockSkew, defaults.MaxTextBytes, recipient);
    }

    /// <summary>The report entry of a line whose signature, seqno and plaintext already verified, given the chat
    /// plaintext its kept plaintext holds (null if none); null with <paramref name="problem"/> set when it is a
    /// relayed copy whose origin does not prove its author.</summary>
    public AuditedMessage? Judge(TranscriptMessageLine line, ChatPlaintext? content, int lineNumber, Direction direction, out string? problem)
    {
        problem = null;
        // One entry per message; only a relayed copy's proof needs a second.
        var entry = new AuditedMessage(lineNumber, direction.ToWire(), line.Seqno, content?.From, null, content?.Text);
        if (content is null || direction != Direction.ServerToClient || !OriginVerifier.IsRelayedCopy(content))
        {
            return entry;
        }

        try
        {
            var proof = _verifier.Verify(content, line.Ts);
            return entry with
            {
                Proof = proof.ProofWire,
                Author = proof.AuthorEmail,
                AuthorSubject = proof.CertificateSubject,
                To = proof.Conversation,
                AuthorTs = proof.AuthorTs,
                Mark = proof.Mark,
            };
        }
        catch (ProtocolException e) when (e.Code == ProtocolErrorCode.BadOrigin)
        {
            problem = $"s2c message {line.Seqno} names {content.From} as its author, but {e.Message}";
            return null;
        }
    }
}
