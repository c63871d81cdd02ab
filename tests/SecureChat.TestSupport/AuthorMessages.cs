using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.TestSupport;

/// <summary>Author messages signed outside any real session, and relayed copies built from them, for tests that play
/// an honest or a lying relay (protocol §9.6).</summary>
public static class AuthorMessages
{
    /// <summary>A second per-user certificate, for "alice's origin with bob's certificate".</summary>
    public static X509Certificate2 OtherUser => LazyOtherUser.Value;

    private static readonly Lazy<X509Certificate2> LazyOtherUser = new(() => SecureChat.Pki.CertificateAuthority.Issue(
        TestPki.RootWithKey, SecureChat.Pki.CertificateRole.User, "bob@example.com", SecureChat.Pki.KeyKind.Rsa2048,
        TestPki.Now.AddDays(-1), TestPki.Now.AddYears(1)));

    /// <summary>What <paramref name="author"/> (a certificate with its key) signs when it sends <paramref name="text"/>
    /// as message <paramref name="seqno"/> of session <paramref name="sessionId"/> (random when null) at <paramref name="ts"/>.</summary>
    public static MessageOrigin Sign(X509Certificate2 author, string text, long ts, byte[]? sessionId = null, long seqno = 1,
        string? to = AuthorOrigin.DefaultRoom)
    {
        ArgumentNullException.ThrowIfNull(author);
        sessionId ??= RandomNumberGenerator.GetBytes(16);
        var plaintext = MessageCodec.Encode(new ChatPlaintext
        {
            Text = text,
            R = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MessageEnvelope.CommitRandomLength)),
            To = to,
        });
        using var identity = new LocalIdentity(author);
        var message = MessageEnvelope.Seal(RandomNumberGenerator.GetBytes(16), sessionId, Direction.ClientToServer, seqno, ts, plaintext,
            identity.SigningKey);
        return new MessageOrigin
        {
            SessionId = Convert.ToHexStringLower(sessionId),
            Seqno = seqno,
            Ts = ts,
            Ct = message.Ct,
            Commit = message.Commit,
            Sig = message.Sig,
            Plaintext = Convert.ToBase64String(plaintext),
            Cert = Convert.ToBase64String(author.RawData),
        };
    }

    /// <summary>The relayed copy a server sends for an origin: its text, author and time as given.</summary>
    public static OutgoingChat Relayed(string from, string text, long ts, MessageOrigin? origin, string? to = AuthorOrigin.DefaultRoom) =>
        new(text, from, ChatPlaintext.ChatKind, ts, To: to, Origin: origin);

    /// <summary>The author's text inside an origin.</summary>
    public static string TextOf(MessageOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return MessageCodec.DecodeChat(Convert.FromBase64String(origin.Plaintext!)).Text;
    }
}
