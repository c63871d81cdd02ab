using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureChat.Pki;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.Protocol.Tests.KnownAnswer;

namespace SecureChat.Protocol.Tests;

/// <summary>Author-signed relay (protocol §9.6): the documented vector opens as documented, a real origin verifies and
/// proves its author, the worst-case relayed copy of the largest relayable plaintext fits in one frame, and what the
/// origin adds to the copy of an ordinary message.</summary>
public sealed class OriginTests
{
    private static CertificateValidator Authors => new(TestPki.ClientPolicy(expectedName: null));

    [Fact]
    public void Origin_vector_commits_and_is_laid_out_as_documented()
    {
        var v = VectorFile.Root["origin"]!.AsObject();
        string H(string name) => v[name]!.GetValue<string>();
        var plaintext = Convert.FromHexString(H("author_plaintext"));
        var commit = SHA256.HashData([.. Encoding.ASCII.GetBytes("securechat/1 commit"), 0, .. plaintext]);
        Assert.Equal(H("author_commit"), Convert.ToHexStringLower(commit));
        Assert.Equal(H("author_signed_content"), H("author_meta") + H("author_ct") + H("author_commit"));
        Assert.StartsWith(H("author_session_id") + "01", H("author_meta"), StringComparison.Ordinal);

        using var relayed = JsonDocument.Parse(Convert.FromHexString(H("relayed_plaintext")));
        var origin = relayed.RootElement.GetProperty("origin");
        Assert.Equal(plaintext, Convert.FromBase64String(origin.GetProperty("plaintext").GetString()!));
        Assert.Equal(H("author_ct"), Convert.ToHexStringLower(Convert.FromBase64String(origin.GetProperty("ct").GetString()!)));
        Assert.Equal("#lobby", relayed.RootElement.GetProperty("to").GetString());
        Assert.Equal("Hello, #lobby!", relayed.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void A_real_origin_proves_its_author_and_a_second_copy_is_a_replay()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var origin = AuthorMessages.Sign(TestPki.User, "hi", now);
        var relayed = new ChatPlaintext { Text = "hi", R = "AAAAAAAAAAAAAAAAAAAAAA==", From = "alice", Ts = now, Origin = origin };
        var verifier = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "bob");

        var proof = verifier.Verify(relayed, now + 10);

        Assert.Equal((ProofLevel.Author, TestPki.UserEmail, "#lobby"), (proof.Level, proof.AuthorEmail, proof.Conversation));
        Assert.Equal(ProtocolErrorCode.BadOrigin, Assert.Throws<ProtocolException>(() => verifier.Verify(relayed, now + 20)).Code);
    }

    [Fact]
    public void A_server_refuses_to_relay_an_oversized_or_misaddressed_message_with_a_refused_notice()
    {
        RelayPlan Plan(string text, string? to = null)
        {
            var plaintext = MessageCodec.Encode(new ChatPlaintext { Text = text, R = "AAAAAAAAAAAAAAAAAAAAAA==", To = to });
            var message = new ChatMessage { Seqno = 7, Ts = 1, Ct = "", Commit = "", Sig = "" };
            var received = new MessageReceived(Direction.ClientToServer, message, plaintext, MessageCodec.DecodeChat(plaintext));
            return AuthorOrigin.PlanRelay(new byte[16], TestPki.User.RawData, received, "oldclient");
        }

        var large = Plan(new string('x', 5000));
        Assert.Null(large.Copy);
        Assert.Equal(("system", "refused", AuthorOrigin.TooLarge, 7L), (large.Refusal!.Kind, large.Refusal.Presence?.ToWire(), large.Refusal.Code, large.Refusal.Ref));
        Assert.Equal(AuthorOrigin.UnknownRoom, Plan("hi", "other").Refusal!.Code);
        Assert.Equal(AuthorOrigin.UnknownRoom, Plan("hi", "#Upper").Refusal!.Code);
        Assert.Equal("#other", Plan("hi", "#other").Copy!.To);
        Assert.Equal("@bob", Plan("hi", "@bob").Copy!.To);
        var v1 = Plan("hi");
        Assert.Equal((AuthorOrigin.DefaultRoom, "oldclient"), (v1.Copy!.To, v1.Copy.From));
    }

    [Fact]
    public void The_largest_relayable_plaintext_fits_in_one_frame_relayed_in_the_worst_case()
    {
        // A text of DEL characters: one byte each from a minimal encoder, six bytes each re-escaped by this one.
        var prefix = "{\"text\":\"\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"to\":\"#lobby\"}".Length;
        var text = new string('\u007f', AuthorOrigin.MaxRelayablePlaintextBytes - prefix);
        var authorPlaintext = Encoding.UTF8.GetBytes($"{{\"text\":\"{text}\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"to\":\"#lobby\"}}");
        Assert.Equal(AuthorOrigin.MaxRelayablePlaintextBytes, authorPlaintext.Length);
        var maxSig = Convert.ToBase64String(new byte[CertificateValidator.MaximumRsaBits / 8]);
        var origin = new MessageOrigin
        {
            SessionId = new string('a', 32),
            Seqno = long.MaxValue,
            Ts = long.MaxValue,
            Ct = Convert.ToBase64String(new byte[authorPlaintext.Length + 16]),
            Commit = Convert.ToBase64String(new byte[32]),
            Sig = maxSig,
            Plaintext = Convert.ToBase64String(authorPlaintext),
            Cert = Convert.ToBase64String(new byte[AuthorOrigin.MaxCertificateBytes]),
        };
        var relayed = MessageCodec.Encode(new ChatPlaintext
        {
            Text = text,
            R = "AAAAAAAAAAAAAAAAAAAAAA==",
            From = new string('\u007f', 32),
            Kind = ChatPlaintext.ChatKind,
            Ts = long.MaxValue,
            To = AuthorOrigin.DefaultRoom,
            Origin = origin,
        });
        var frame = MessageCodec.Encode(new ChatMessage
        {
            Seqno = long.MaxValue,
            Ts = long.MinValue,
            Ct = Convert.ToBase64String(new byte[relayed.Length + 16]),
            Commit = Convert.ToBase64String(new byte[32]),
            Sig = maxSig,
        });
        Assert.True(frame.Length <= FrameReader.MaxFrameLength, $"{frame.Length} bytes");
    }

    [Fact]
    public void A_relayed_copy_of_a_100_byte_text_carries_the_authors_ciphertext_plaintext_certificate_and_signature()
    {
        var text = new string('x', 100);
        using var author = new ProtocolPair(clientCert: TestPki.User, clientValidator: Authors);
        using var recipient = new ProtocolPair();
        author.Handshake();
        recipient.Handshake();

        author.Deliver(toServer: true, author.Client.SendText(text));
        var sent = author.Wire[^1].Frame;
        var received = author.ServerEvents.OfType<MessageReceived>().Single();
        var copy = author.Server.PlanRelay(received, "alice").Copy!;
        var relayed = recipient.Server.Send(copy).Frames.Single();
        var withoutOrigin = recipient.Server.Send(copy with { Origin = null }).Frames.Single();

        // The author's frame, the copy the server relays, and the same copy without its origin (as relayed before
        // §9.6.2). The origin adds the author's ct, commit, sig, plaintext and certificate, base64-encoded inside the
        // copy's plaintext, which is then encrypted and base64-encoded again: 16/9 of their bytes, and member names.
        var o = copy.Origin!;
        var evidence = new[] { o.Ct, o.Commit, o.Sig, o.Plaintext, o.Cert }.Sum(b => Convert.FromBase64String(b!).Length);
        Assert.Equal(TestPki.User.RawData.Length + 256 + 32 + (2 * received.Plaintext.Length) + 16, evidence);
        Assert.InRange(relayed.Length - withoutOrigin.Length, evidence * 16 / 9, (evidence * 16 / 9) + 300);

        // The figures docs/PERFORMANCE.md quotes: an RSA-2048 per-user certificate of 865 bytes, a 100-byte text.
        Assert.Equal((865, 676, 3544, 760), (TestPki.User.RawData.Length, sent.Length, relayed.Length, withoutOrigin.Length));
    }
}
