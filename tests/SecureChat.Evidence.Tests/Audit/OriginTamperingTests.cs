using SecureChat.Evidence.Audit;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using static SecureChat.Evidence.Tests.Audit.AuditAssert;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>Relayed copies that the server signed validly but whose <c>origin</c> (protocol §9.6.2) does not prove the
/// author the copy names. The auditor checks a line's seqno, the server's signature and the server's commitment to
/// the copy's plaintext before its origin (§15.2 items 4–6, then 8), and all three hold here, so only the origin
/// check can reject the file: <c>bad_origin</c> on the copy's line, for the reason that check names.</summary>
/// <remarks>A client refuses such a copy with <c>BAD_ORIGIN</c> and never records it (each case checks that it
/// does), so the recipient's file is built as a client that skipped the check would have written it: the client's
/// own lines, then the server's line of the copy, which holds the frame's values and the plaintext bytes exactly as
/// a recipient records them (§15.1). The server's own file, with its plaintexts kept, is rejected the same way.</remarks>
public sealed class OriginTamperingTests
{
    private const string Text = "the meeting is at 10";
    private const string Signature = "the author's signature does not verify with the author certificate";

    private static readonly Dictionary<string, Lie> Lies = new()
    {
        ["origin.session_id edited"] = new((o, _) => CopyOf(o with { SessionId = FlipHex(o.SessionId!) }), Signature),
        ["origin.seqno edited"] = new((o, _) => CopyOf(o with { Seqno = o.Seqno + 1 }), Signature),
        ["origin.ts edited"] = new((o, _) => CopyOf(o with { Ts = o.Ts + 1 }), Signature),
        ["origin.ct edited"] = new((o, _) => CopyOf(o with { Ct = FlipBase64(o.Ct!) }), Signature),
        ["origin.commit edited"] = new((o, _) => CopyOf(o with { Commit = FlipBase64(o.Commit!) }), Signature),
        ["origin.sig edited"] = new((o, _) => CopyOf(o with { Sig = FlipBase64(o.Sig!) }), Signature),
        // The copy keeps the author's text: the edited bytes need not decode at all.
        ["origin.plaintext edited"] = new((o, _) => CopyOf(o with { Plaintext = FlipBase64(o.Plaintext!) }, text: Text),
            "the author's plaintext does not open the author's commitment"),
        ["origin.cert: bob's certificate for alice's message"] = new((o, _) =>
            CopyOf(o with { Cert = Convert.ToBase64String(AuthorMessages.OtherUser.RawData) }), Signature),
        ["the copy's text edited"] = new((o, _) => CopyOf(o, text: "the meeting is at 11"), "the relayed text or time is not the author's"),
        ["no origin"] = new((o, _) => CopyOf(o) with { Origin = null }, "a relayed message carries no origin"),
        ["origin.session_id not hex"] = new((o, _) => CopyOf(o with { SessionId = "not a session id" }), "an origin member is missing or malformed"),
        ["the author's signature of another message"] = new((o, now) =>
        {
            var other = AuthorMessages.Sign(TestPki.User, "pay mallory", now, Convert.FromHexString(o.SessionId!));
            return CopyOf(o with { Sig = other.Sig });
        }, Signature),
        ["a certificate of another CA"] = new((_, now) => CopyOf(AuthorMessages.Sign(TestPki.IssuedByOtherCa, Text, now)),
            "the author certificate was not valid at the author's ts"),
        ["an author message older than the skew"] = new((_, now) => CopyOf(AuthorMessages.Sign(TestPki.User, Text, now - 3_600_000)),
            "the author's message is older or newer than the allowed skew: a replay"),
        ["addressed to another room"] = new((_, now) => CopyOf(AuthorMessages.Sign(TestPki.User, Text, now, to: "#other")),
            "the author addressed another conversation"),
    };

    public static TheoryData<string> Edits => [.. Lies.Keys];

    [Fact]
    public void An_honest_copy_is_accepted_and_proven_by_its_author()
    {
        using var conversation = Converse();
        var origin = AuthorMessages.Sign(TestPki.User, Text, Now(conversation));

        conversation.Deliver(toServer: false, conversation.Send(fromClient: false, CopyOf(origin)));
        var file = new TranscriptFile(conversation.ClientLog.Lines);

        var report = file.Audit();
        Assert.True(report.Accepted, file.ToString());
        var copy = Assert.Single(report.Messages, m => m.Dir == "s2c");
        Assert.Equal(("alice", "author", TestPki.UserEmail, Text, origin.Ts), (copy.From, copy.Proof, copy.Author, copy.Text, copy.AuthorTs));
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void A_server_signed_copy_whose_origin_does_not_prove_its_author_is_bad_origin_on_its_line(string edit)
    {
        using var conversation = Converse();
        var now = Now(conversation);
        var frames = conversation.Send(fromClient: false, Lies[edit].Copy(AuthorMessages.Sign(TestPki.User, Text, now), now));

        // The live client's check and the auditor's are the same: the client refuses the copy and records nothing.
        var recorded = conversation.ClientLog.Lines.Count;
        Assert.Equal(ProtocolErrorCode.BadOrigin, Assert.Throws<ProtocolException>(() => conversation.Deliver(toServer: false, frames)).Code);
        Assert.Equal(recorded, conversation.ClientLog.Lines.Count);

        var file = RecipientFile(conversation);
        var line = file.LineOf("s2c", 1);
        var report = file.Audit();

        AssertFails(report, line, AuditFindingKind.BadOrigin);
        Assert.Contains("s2c message 1 names alice as its author, but " + Lies[edit].Reason, report.FirstFailure!.Reason, StringComparison.Ordinal);

        // Everything before the origin check held on that line: its seqno, the server's signature and commitment.
        Assert.Equal(1, report.MessagesVerified);
        Assert.Equal(2, report.PlaintextsVerified);
    }

    [Fact]
    public void The_servers_own_file_with_plaintexts_kept_is_rejected_at_the_same_copy()
    {
        using var conversation = Converse();
        var origin = AuthorMessages.Sign(TestPki.User, Text, Now(conversation));
        conversation.Send(fromClient: false, CopyOf(origin, text: "the meeting is at 11"));
        var file = new TranscriptFile(conversation.ServerLog.Lines);

        AssertFails(file.Audit(), file.LineOf("s2c", 1), AuditFindingKind.BadOrigin);
    }

    [Fact]
    public void An_honest_origin_relayed_a_second_time_is_a_replay_on_the_second_line()
    {
        using var conversation = Converse();
        var origin = AuthorMessages.Sign(TestPki.User, Text, Now(conversation));
        conversation.Deliver(toServer: false, conversation.Send(fromClient: false, CopyOf(origin)));
        conversation.Send(fromClient: false, CopyOf(origin));

        var file = RecipientFile(conversation);
        var report = file.Audit();

        AssertFails(report, file.LineOf("s2c", 2), AuditFindingKind.BadOrigin);
        Assert.Contains("already relayed", report.FirstFailure!.Reason, StringComparison.Ordinal);
    }

    /// <summary>A session in which the client has said one thing (c2s 1, its plaintext kept by both sides).</summary>
    private static RecordedConversation Converse() =>
        new RecordedConversation(serverKeepsPlaintext: true).Handshake().Say(fromClient: true, "hi");

    private static long Now(RecordedConversation conversation) => conversation.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The client's file, then the server's line of the last copy it sent, which the client never recorded.</summary>
    private static TranscriptFile RecipientFile(RecordedConversation conversation) =>
        new(conversation.ClientLog.Lines.Append(conversation.ServerLog.Lines[^1]));

    /// <summary>The copy a server relays for <paramref name="origin"/>; every author message here says <see cref="Text"/>.</summary>
    private static OutgoingChat CopyOf(MessageOrigin origin, string text = Text) =>
        AuthorMessages.Relayed("alice", text, origin.Ts!.Value, origin);

    private static string FlipHex(string hex) => (hex[0] == '0' ? '1' : '0') + hex[1..];

    // One character in the middle: still canonical base64, only the decoded bytes differ.
    private static string FlipBase64(string value)
    {
        var chars = value.ToCharArray();
        var index = value.TrimEnd('=').Length / 2;
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>A lie a relaying server could tell: the copy it would send, and why the origin check refuses it.</summary>
    private sealed record Lie(Func<MessageOrigin, long, OutgoingChat> Copy, string Reason);
}
