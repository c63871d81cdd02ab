using System.Text;
using System.Text.Json.Nodes;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>The <c>conversations</c> group of docs/test-vectors.json (protocol §9.8).</summary>
internal static partial class TestVectorGenerator
{
    private static readonly string[] ValidNames = ["#lobby", "#ops", "#a", "#team-2", "#x_y", "#0", "@bob", "@Carol.B", "@abc"];

    private static readonly string[] InvalidNames = ["#", "#Ops", "#-ops", "#_x", "#ops!", "#" + new string('a', 33), "ops", "@bo", "@bob smith", "@" + new string('b', 33), "", "#é"];

    private static JsonObject ConversationVectors(SessionKeys keys)
    {
        // A direct message from alice to bob (message 5 of the author session of the origin group), and its delayed copy.
        var authorPlaintext = MessageCodec.Encode(new ChatPlaintext { Text = "Only for you, Bob.", R = B64(R1), To = "@bob" });
        var envelope = Seal(keys, Direction.ClientToServer, 5, Ts1, authorPlaintext);
        var message = new ChatMessage
        {
            Seqno = 5,
            Ts = Ts1,
            Ct = Convert.ToBase64String(envelope.Ct),
            Commit = Convert.ToBase64String(envelope.Commit),
            Sig = Convert.ToBase64String(SignatureStandIn(Direction.ClientToServer, 5)),
        };
        var received = new MessageReceived(Direction.ClientToServer, message, authorPlaintext, MessageCodec.DecodeChat(authorPlaintext));
        var copy = AuthorOrigin.PlanRelay(keys.SessionId, Encoding.ASCII.GetBytes(AuthorCertStandIn), received, "alice").Copy!;
        var delayed = MessageCodec.Encode(new ChatPlaintext
        {
            Text = copy.Text,
            R = B64(R2),
            From = copy.From,
            Kind = copy.Kind,
            Ts = copy.OriginalTs,
            To = copy.To,
            Origin = copy.Origin,
            Mark = Conversations.DelayedMark,
        });
        var join = MessageCodec.Encode(new ChatPlaintext
        {
            Text = "",
            R = B64(R1),
            Kind = ChatPlaintext.CommandKind,
            Op = Conversations.JoinOp,
            To = "#ops",
            Limit = 20,
        });
        var names = new JsonArray();
        foreach (var name in ValidNames.Concat(InvalidNames))
        {
            names.Add(new JsonObject { ["name_utf8"] = name, ["room"] = Conversations.IsRoom(name), ["person"] = Conversations.IsPerson(name) });
        }

        return new JsonObject
        {
            ["description"] = "Conversations (Conversations, PROTOCOL 9.8). names: which strings are room names and person "
                + "addresses. threads: the store's thread of a message from an author to a conversation. dm_*: alice's "
                + "direct message to bob, message 5 of the origin group's author session, and the copy bob receives at his "
                + "next login with mark delayed (stand-in signature and certificate as in the origin group). join_command: "
                + "a join of #ops asking for the last 20 messages.",
            ["names"] = names,
            ["threads"] = new JsonArray(
                Thread("alice", "#ops"),
                Thread("alice", "@bob"),
                Thread("Bob", "@alice"),
                Thread("zed", "@Amy")),
            ["max_history"] = Conversations.MaxHistory,
            ["max_rooms_per_user"] = Conversations.MaxRoomsPerUser,
            ["dm_author_plaintext_utf8"] = Encoding.UTF8.GetString(authorPlaintext),
            ["dm_author_ct"] = Hex(envelope.Ct),
            ["dm_author_commit"] = Hex(envelope.Commit),
            ["dm_author_signed_content"] = Hex(envelope.SignedContent),
            ["dm_delayed_plaintext_utf8"] = Encoding.UTF8.GetString(delayed),
            ["join_command_plaintext_utf8"] = Encoding.UTF8.GetString(join),
            ["join_command_plaintext"] = Hex(join),
        };
    }

    private static JsonObject Thread(string author, string to) =>
        new() { ["author_utf8"] = author, ["to_utf8"] = to, ["thread_utf8"] = Conversations.ThreadOf(author, to) };
}
