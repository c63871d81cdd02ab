using SecureChat.Pki;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.Protocol.Tests.KnownAnswer;

namespace SecureChat.Protocol.Tests;

/// <summary>Conversations (protocol §9.8): names, threads and commands as documented, and the recipient's checks on
/// rooms, direct messages and marked copies (§9.6.3 checks 7, 9 and 10).</summary>
public sealed class ConversationRuleTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static CertificateValidator Authors => new(TestPki.ClientPolicy(expectedName: null));

    [Fact]
    public void Names_and_threads_are_what_the_vector_file_documents()
    {
        var v = VectorFile.Root["conversations"]!.AsObject();
        foreach (var node in v["names"]!.AsArray())
        {
            var name = node!["name_utf8"]!.GetValue<string>();
            Assert.Equal(node["room"]!.GetValue<bool>(), Conversations.IsRoom(name));
            Assert.Equal(node["person"]!.GetValue<bool>(), Conversations.IsPerson(name));
        }

        Assert.Equal("@alice @bob", Conversations.ThreadOf("alice", "@bob"));
        Assert.Equal("@alice @bob", Conversations.ThreadOf("Bob", "@alice"));
        Assert.Equal("#ops", Conversations.ThreadOf("alice", "#ops"));
    }

    [Theory]
    [InlineData("join", "#ops", 20, null)]
    [InlineData("join", "ops", 0, "room name")]
    [InlineData("leave", "#lobby", 0, "stays")]
    [InlineData("who", "@bob", 0, "room name")]
    [InlineData("history", "@bob", 100, null)]
    [InlineData("history", "#ops", 101, "limit")]
    [InlineData("history", "bob", 5, "room or a person")]
    [InlineData("rooms", null, 0, null)]
    [InlineData("dance", "#ops", 0, "unknown command")]
    [InlineData(null, "#ops", 0, "unknown command")]
    public void A_command_is_parsed_or_refused_with_its_reason(string? op, string? to, long limit, string? problem)
    {
        var command = new ChatPlaintext { Text = "", R = "AAAAAAAAAAAAAAAAAAAAAA==", Kind = ChatPlaintext.CommandKind, Op = op, To = to, Limit = limit };

        var parsed = Conversations.ParseCommand(command, out var reason);

        if (problem is null)
        {
            Assert.Equal(op, parsed!.Op);
            Assert.Null(reason);
        }
        else
        {
            Assert.Null(parsed);
            Assert.Contains(problem, reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_room_message_and_a_direct_message_to_the_recipient_prove_their_author()
    {
        var verifier = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "bob");
        var room = AuthorMessages.Sign(TestPki.User, "deploy at 10", Now, to: "#ops");
        var direct = AuthorMessages.Sign(TestPki.User, "just you", Now, to: "@Bob");

        Assert.Equal("#ops", verifier.Verify(Copy("alice", "deploy at 10", room, "#ops"), Now).Conversation);
        Assert.Equal(ProofLevel.Author, verifier.Verify(Copy("alice", "just you", direct, "@Bob"), Now).Level);
    }

    [Fact]
    public void A_direct_message_to_someone_else_is_refused_unless_the_recipient_wrote_it()
    {
        var toCarol = AuthorMessages.Sign(TestPki.User, "for carol", Now, to: "@carol");

        var atBob = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "bob");
        Assert.Equal(ProtocolErrorCode.BadOrigin, Assert.Throws<ProtocolException>(() => atBob.Verify(Copy("alice", "for carol", toCarol, "@carol"), Now)).Code);

        // alice's own message, echoed back to her in history, is hers to see.
        var atAlice = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "alice");
        Assert.Equal("@carol", atAlice.Verify(Copy("alice", "for carol", toCarol, "@carol", Conversations.HistoryMark), Now).Conversation);
    }

    [Fact]
    public void A_copy_moved_to_another_room_is_refused()
    {
        var verifier = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "bob");
        var origin = AuthorMessages.Sign(TestPki.User, "ops only", Now, to: "#ops");

        var moved = Assert.Throws<ProtocolException>(() => verifier.Verify(Copy("alice", "ops only", origin, "#general"), Now));

        Assert.Equal(ProtocolErrorCode.BadOrigin, moved.Code);
    }

    [Fact]
    public void A_marked_copy_may_be_old_and_repeated_but_a_live_copy_may_not()
    {
        var verifier = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "bob");
        var dayOld = Now - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var origin = AuthorMessages.Sign(TestPki.User, "yesterday", dayOld, to: "#ops");

        var delayed = verifier.Verify(Copy("alice", "yesterday", origin, "#ops", Conversations.DelayedMark), Now);
        var again = verifier.Verify(Copy("alice", "yesterday", origin, "#ops", Conversations.HistoryMark), Now);

        Assert.Equal((Conversations.DelayedMark, dayOld), (delayed.Mark, delayed.AuthorTs));
        Assert.Equal(Conversations.HistoryMark, again.Mark);
        var live = Assert.Throws<ProtocolException>(() => verifier.Verify(Copy("alice", "yesterday", origin, "#ops"), Now));
        Assert.Contains("replay", live.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_marked_copy_still_needs_the_authors_signature()
    {
        var verifier = new OriginVerifier(Authors, TimeSpan.FromMinutes(5), 16384, "bob");
        var origin = AuthorMessages.Sign(TestPki.User, "original", Now, to: "#ops");

        var swapped = Assert.Throws<ProtocolException>(() => verifier.Verify(Copy("alice", "forged", origin, "#ops", Conversations.HistoryMark), Now));

        Assert.Equal(ProtocolErrorCode.BadOrigin, swapped.Code);
    }

    private static ChatPlaintext Copy(string from, string text, MessageOrigin origin, string to, string? mark = null) => new()
    {
        Text = text,
        R = "AAAAAAAAAAAAAAAAAAAAAA==",
        From = from,
        Kind = ChatPlaintext.ChatKind,
        Ts = origin.Ts,
        To = to,
        Origin = origin,
        Mark = mark,
    };
}
