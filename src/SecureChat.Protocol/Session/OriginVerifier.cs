using System.Security.Cryptography;
using System.Text;
using SecureChat.Pki;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>Author-signed relay (protocol §9.6), the checking half: proves, from a relayed copy alone, that its
/// author wrote its text to this conversation. The live client and the offline auditor run the same checks in the
/// same order; one verifier holds the replay state of one recipient session.</summary>
public sealed class OriginVerifier
{
    /// <summary>How many distinct author certificates one verifier remembers before it starts afresh.</summary>
    private const int MaxRememberedAuthors = 256;

    private readonly CertificateValidator _authors;
    private readonly Dictionary<string, AuthorCertificate> _authorCertificates = new(StringComparer.Ordinal);
    private readonly TimeSpan _maxSkew;
    private readonly string? _recipient;
    private readonly int _maxTextBytes;
    private readonly Dictionary<string, long> _lastSeqno = new(StringComparer.Ordinal);

    /// <summary>Creates the verifier of one recipient session.</summary>
    /// <param name="authorValidator">Checks author certificates: the Root CA, client role, no fixed name.</param>
    /// <param name="maxSkew">Largest accepted distance between the author's <c>ts</c> and the relayed copy's.</param>
    /// <param name="maxTextBytes">Largest <c>text</c> of the author's plaintext (§9.3).</param>
    /// <param name="recipient">The recipient's username: a direct message must be addressed to it or written by it
    /// (check 7). Null accepts no direct message (a recipient whose name is unknown).</param>
    public OriginVerifier(CertificateValidator authorValidator, TimeSpan maxSkew, int maxTextBytes, string? recipient)
    {
        _authors = authorValidator ?? throw new ArgumentNullException(nameof(authorValidator));
        _maxSkew = maxSkew;
        _maxTextBytes = maxTextBytes;
        _recipient = recipient;
    }

    /// <summary>Whether a server→client plaintext is a relayed copy, which must carry a valid origin: it names an
    /// author in <c>from</c>.</summary>
    public static bool IsRelayedCopy(ChatPlaintext plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return plaintext.From is not null;
    }

    /// <summary>Runs the checks of §9.6.3 in order on a relayed copy whose envelope carried <paramref name="envelopeTs"/>,
    /// and on success remembers its origin for the replay check.</summary>
    /// <exception cref="ProtocolException"><c>BAD_ORIGIN</c> naming the first check that failed.</exception>
    public AuthorProof Verify(ChatPlaintext relayed, long envelopeTs)
    {
        ArgumentNullException.ThrowIfNull(relayed);
        var o = relayed.Origin ?? throw Bad("a relayed message carries no origin");
        if (!WireBytes.TryFromLowerHex(o.SessionId, 16, out var sessionId) || o.Seqno is not > 0 || o.Ts is not { } ts
            || !Decodes(o.Ct, out _) || !Decodes(o.Commit, out var commit) || commit.Length != SHA256.HashSizeInBytes
            || !Decodes(o.Sig, out _) || !Decodes(o.Plaintext, out var plaintext) || !Decodes(o.Cert, out var der))
        {
            throw Bad("an origin member is missing or malformed");
        }

        var seqno = o.Seqno.Value;
        var certificate = AcceptAuthorCertificate(der, ts);
        using (var key = certificate.BorrowKey() ?? throw Bad("the author certificate key is neither RSA nor ECDSA"))
        {
            var envelope = new ChatMessage { Seqno = seqno, Ts = ts, Ct = o.Ct!, Commit = o.Commit!, Sig = o.Sig! };
            if (!MessageEnvelope.VerifySignature(key, sessionId, Direction.ClientToServer, envelope, out _, out _))
            {
                throw Bad("the author's signature does not verify with the author certificate");
            }
        }

        if (!MessageEnvelope.CommitmentMatches(plaintext, commit))
        {
            throw Bad("the author's plaintext does not open the author's commitment");
        }

        var authored = DecodeAuthorPlaintext(plaintext);
        var to = Conversations.Of(authored);
        if (!string.Equals(to, Conversations.Of(relayed), StringComparison.Ordinal) || !TakesPart(to, relayed.From))
        {
            throw Bad("the author addressed another conversation");
        }

        if (!string.Equals(authored.Text, relayed.Text, StringComparison.Ordinal) || (relayed.Ts is { } claimed && claimed != ts))
        {
            throw Bad("the relayed text or time is not the author's");
        }

        // A marked copy (delayed, history) is shown as past, with the author's time: checks 9 and 10 guard only a
        // copy presented as live, which an old message must never pass for.
        var sessionHex = o.SessionId!;
        if (relayed.Mark is null)
        {
            if (Math.Abs((decimal)ts - envelopeTs) > (decimal)_maxSkew.TotalMilliseconds)
            {
                throw Bad("the author's message is older or newer than the allowed skew: a replay");
            }

            if (_lastSeqno.TryGetValue(sessionHex, out var last) && seqno <= last)
            {
                throw Bad($"the author's message {seqno} of that session was already relayed (last {last}): a replay");
            }

            _lastSeqno[sessionHex] = seqno;
        }

        var email = certificate.Email;
        return new AuthorProof(email is null ? ProofLevel.Server : ProofLevel.Author, email, certificate.Subject, authored.Text, ts, to,
            sessionHex, seqno, certificate.DerSha256Hex)
        {
            Mark = relayed.Mark,
        };
    }

    /// <summary>Check 7: any room, or a direct message to this recipient or written by it (its own, echoed in history).</summary>
    private bool TakesPart(string to, string? from)
    {
        if (Conversations.IsRoom(to))
        {
            return true;
        }

        return Conversations.IsPerson(to) && (Conversations.SameUser(Conversations.PersonOf(to), _recipient) || Conversations.SameUser(from, _recipient));
    }

    /// <summary>Checks 2–3 on the author certificate: the size bound, then the certificate judged at the author's
    /// <paramref name="ts"/>. A certificate seen before in this verifier is not parsed nor its chain built again (the
    /// chain verdict does not depend on time), but revocation, the validity of the leaf and its issuers at this
    /// <paramref name="ts"/>, the role and the key are judged for every copy.</summary>
    private ParsedCertificate AcceptAuthorCertificate(byte[] der, long ts)
    {
        if (der.Length > AuthorOrigin.MaxCertificateBytes || ts < 0 || ts > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw Bad(der.Length > AuthorOrigin.MaxCertificateBytes ? "the author certificate is too large" : "the author's ts is out of range");
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(ts);
        var hash = Convert.ToHexStringLower(SHA256.HashData(der));
        if (!_authorCertificates.TryGetValue(hash, out var author))
        {
            author = FirstSight(der, hash, at);
        }

        var check = _authors.Judge(author.Certificate, author.Chain, at);
        if (!check.IsValid)
        {
            throw Bad($"the author certificate was not valid at the author's ts: {check.Reason}");
        }

        return author.Certificate;
    }

    /// <summary>Parses (or takes from the shared cache) an author certificate not seen before and builds its chain;
    /// remembers it only when the chain reaches the Root CA, so that junk certificates are neither kept nor shared.</summary>
    private AuthorCertificate FirstSight(byte[] der, string hash, DateTimeOffset at)
    {
        var cache = _authors.Cache;
        if (cache is null || !cache.TryGet(hash, out var certificate))
        {
            certificate = ParsedCertificate.TryLoad(der) ?? throw Bad("the author certificate does not decode");
            if (!certificate.MatchesSourceDer)
            {
                certificate.Dispose();
                throw Bad("the author certificate has bytes after its DER");
            }
        }

        var chain = _authors.CheckChain(certificate, at);
        if (!chain.ChainsToRoot)
        {
            var failed = _authors.Judge(certificate, chain, at);
            certificate.Dispose();
            throw Bad($"the author certificate was not valid at the author's ts: {failed.Reason}");
        }

        // Forgotten certificates are not disposed: a shared one belongs to the cache, and an unshared one is left to
        // its finalizer rather than tracking whether anything still verifies with it.
        certificate = cache?.Admit(certificate) ?? certificate;
        if (_authorCertificates.Count >= MaxRememberedAuthors)
        {
            _authorCertificates.Clear();
        }

        var author = new AuthorCertificate(certificate, chain);
        _authorCertificates[hash] = author;
        return author;
    }

    private ChatPlaintext DecodeAuthorPlaintext(byte[] plaintext)
    {
        ChatPlaintext authored;
        try
        {
            authored = MessageCodec.DecodeChat(plaintext);
        }
        catch (ProtocolException)
        {
            throw Bad("the author's plaintext is not a chat plaintext");
        }

        if (Encoding.UTF8.GetByteCount(authored.Text) > _maxTextBytes || !Decodes(authored.R, out var r)
            || r.Length != MessageEnvelope.CommitRandomLength || authored.Origin is not null)
        {
            throw Bad("the author's plaintext is not a valid chat plaintext");
        }

        return authored;
    }

    private static bool Decodes(string? text, out byte[] bytes)
    {
        bytes = [];
        return text is not null && WireBytes.TryFromCanonicalBase64(text, out bytes);
    }

    private static ProtocolException Bad(string reason) => new(ProtocolErrorCode.BadOrigin, reason);

    /// <summary>An author certificate and its time-independent chain verdict under this verifier's validator.</summary>
    private sealed record AuthorCertificate(ParsedCertificate Certificate, CertificateChainVerdict Chain);
}

/// <summary>How strongly a relayed copy proves its author.</summary>
public enum ProofLevel
{
    /// <summary>The author's own per-user certificate signed it: the author's signature proves it.</summary>
    Author,

    /// <summary>Signed with a certificate that names no person (shared mode): only the server attests the author.</summary>
    Server,
}

/// <summary>What a verified origin proves (§9.6.3).</summary>
/// <param name="Level">Whether the author's signature proves authorship or only the server attests it.</param>
/// <param name="AuthorEmail">The e-mail address the author certificate names, or null (shared certificate).</param>
/// <param name="CertificateSubject">The author certificate's subject.</param>
/// <param name="Text">The author's text.</param>
/// <param name="AuthorTs">The author's <c>ts</c>.</param>
/// <param name="Conversation">The conversation the author addressed.</param>
/// <param name="AuthorSessionId">The author's session id (hex).</param>
/// <param name="AuthorSeqno">The author's seqno in that session.</param>
/// <param name="CertificateSha256">SHA-256 of the author certificate's DER (hex).</param>
public sealed record AuthorProof(ProofLevel Level, string? AuthorEmail, string CertificateSubject, string Text, long AuthorTs,
    string Conversation, string AuthorSessionId, long AuthorSeqno, string CertificateSha256)
{
    /// <summary>For a copy that is not live: <c>delayed</c> or <c>history</c> (§9.8.4); null for a live copy.</summary>
    public string? Mark { get; init; }

    /// <summary><c>author</c> or <c>server</c>, as reports spell it.</summary>
    public string ProofWire => Level == ProofLevel.Author ? "author" : "server";
}
