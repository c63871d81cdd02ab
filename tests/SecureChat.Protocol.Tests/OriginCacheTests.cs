using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests;

/// <summary>What a remembered or cached author certificate still has to pass on every relayed copy (§9.6.3), and
/// sessions that share a certificate cache (one parse, one key import, no shared verdict).</summary>
public sealed class OriginCacheTests
{
    private const string NoRandom = "AAAAAAAAAAAAAAAAAAAAAA==";

    private static readonly Lazy<X509Certificate2> ShortLivedAuthor = new(() => CertificateAuthority.Issue(
        TestPki.RootWithKey, CertificateRole.User, "carol@example.com", KeyKind.EcdsaP256, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1)));

    [Fact]
    public void A_remembered_author_certificate_is_judged_at_each_copys_ts()
    {
        var verifier = Verifier(new CertificateValidator(TestPki.ClientPolicy(expectedName: null)));
        var inside = TestPki.Now.ToUnixTimeMilliseconds();
        var afterExpiry = TestPki.Now.AddDays(2).ToUnixTimeMilliseconds();

        var first = verifier.Verify(Copy(ShortLivedAuthor.Value, "early", inside), inside);
        var late = Assert.Throws<ProtocolException>(() => verifier.Verify(Copy(ShortLivedAuthor.Value, "late", afterExpiry, "history"), inside));
        var again = verifier.Verify(Copy(ShortLivedAuthor.Value, "again", inside + 1), inside + 1);

        Assert.Equal(ProtocolErrorCode.BadOrigin, late.Code);
        Assert.Contains("not valid at the author's ts: certificate expired", late.Message, StringComparison.Ordinal);
        Assert.Equal((first.CertificateSha256, "carol@example.com"), (again.CertificateSha256, again.AuthorEmail));
    }

    [Fact]
    public void A_cached_author_certificate_is_refused_by_a_verifier_whose_validator_revokes_it()
    {
        var cache = new CertificateCache();
        var lenient = new CertificateValidator(new CertificatePolicy { Root = TestPki.Root, Peer = ExpectedPeer.Client, Cache = cache });
        var strict = new CertificateValidator(new CertificatePolicy
        {
            Root = TestPki.Root,
            Peer = ExpectedPeer.Client,
            Cache = cache,
            RevokedSerials = new HashSet<string>(StringComparer.Ordinal) { TestPki.User.SerialNumber },
        });
        var now = TestPki.Now.ToUnixTimeMilliseconds();

        Verifier(lenient).Verify(Copy(TestPki.User, "hi", now), now);
        Assert.Equal(1, cache.Count);
        var refused = Assert.Throws<ProtocolException>(() => Verifier(strict).Verify(Copy(TestPki.User, "hi", now), now));

        Assert.Equal(ProtocolErrorCode.BadOrigin, refused.Code);
        Assert.Contains("is revoked", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cached_author_certificate_of_one_root_is_refused_by_a_verifier_of_another()
    {
        var cache = new CertificateCache();
        var ours = new CertificateValidator(new CertificatePolicy { Root = TestPki.Root, Peer = ExpectedPeer.Client, Cache = cache });
        var foreign = new CertificateValidator(new CertificatePolicy { Root = TestPki.OtherRoot, Peer = ExpectedPeer.Client, Cache = cache });
        var now = TestPki.Now.ToUnixTimeMilliseconds();

        Verifier(ours).Verify(Copy(TestPki.User, "hi", now), now);
        var refused = Assert.Throws<ProtocolException>(() => Verifier(foreign).Verify(Copy(TestPki.User, "hi", now), now));

        Assert.Contains("not issued by the configured Root CA", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_copy_with_a_remembered_certificate_still_needs_the_authors_signature()
    {
        var verifier = Verifier(new CertificateValidator(TestPki.ClientPolicy(expectedName: null)));
        var now = TestPki.Now.ToUnixTimeMilliseconds();
        verifier.Verify(Copy(TestPki.User, "hi", now), now);

        // Bob's signature over a message that carries Alice's (remembered) certificate.
        var forged = AuthorMessages.Sign(AuthorMessages.OtherUser, "forged", now + 1) with { Cert = Convert.ToBase64String(TestPki.User.RawData) };
        var copy = new ChatPlaintext { Text = "forged", R = NoRandom, From = "alice", Ts = now + 1, Origin = forged };

        var refused = Assert.Throws<ProtocolException>(() => verifier.Verify(copy, now + 1));
        Assert.Contains("signature does not verify", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_sharing_a_cache_share_one_parse_and_key_and_outlive_each_other()
    {
        var cache = new CertificateCache();
        ProtocolPair Pair() => new(
            clientValidator: TestCertificates.ValidatorFor(ExpectedPeer.Client).WithCache(cache),
            serverValidator: TestCertificates.ValidatorFor(ExpectedPeer.Server).WithCache(cache));
        var first = Pair();
        first.Handshake();
        using var second = Pair();
        second.Handshake();

        Assert.Same(first.Server.PeerCertificate, second.Server.PeerCertificate);
        Assert.Same(first.Client.PeerCertificate, second.Client.PeerCertificate);
        Assert.Equal(2, cache.Count);

        first.Dispose();
        second.Deliver(toServer: true, second.Client.SendText("still here"));
        second.Deliver(toServer: false, second.Server.SendText("and here"));

        Assert.Contains(second.ServerEvents, e => e is MessageReceived { Content.Text: "still here" });
        Assert.Contains(second.ClientEvents, e => e is MessageReceived { Content.Text: "and here" });
    }

    private static OriginVerifier Verifier(CertificateValidator authors) => new(authors, TimeSpan.FromMinutes(5), 16384, "bob");

    private static ChatPlaintext Copy(X509Certificate2 author, string text, long ts, string? mark = null) =>
        new() { Text = text, R = NoRandom, From = "carol", Ts = ts, Origin = AuthorMessages.Sign(author, text, ts), Mark = mark };
}
