using SecureChat.Cli.Interactive;
using SecureChat.Client;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Tests;

/// <summary>What the interactive clients make of the server's conversation notices and of chat messages in rooms and
/// direct conversations, without a terminal: the list of conversations, where each message belongs, the sentences
/// shown for notices and the chat line of the line client.</summary>
public sealed class ConversationDisplayTests
{
    private static readonly long Noon = new DateTimeOffset(2025, 1, 2, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Rooms_joined_and_left_notices_keep_the_list_and_leaving_the_current_room_goes_back_to_the_lobby()
    {
        var state = new ConversationState("ann");
        var changes = 0;
        state.Changed += () => changes++;

        Assert.Null(state.Apply(Notice("rooms") with { Rooms = ["#lobby", "#ops", "#dev"] }));
        Assert.Equal(["#lobby", "#dev", "#ops"], state.All);
        Assert.Equal("#team", state.Apply(Notice("joined", "ann") with { To = "#team" }));
        state.Open("#team");
        Assert.Null(state.Apply(Notice("left") with { To = "#team" }));

        Assert.Equal(["#lobby", "#dev", "#ops"], state.All);
        Assert.Equal("#lobby", state.Current);
        Assert.True(state.IsMember("#ops"));
        Assert.False(state.IsMember("#team"));
        Assert.Equal(4, changes);

        // The same rooms again change nothing.
        state.Apply(Notice("rooms") with { Rooms = ["#lobby", "#ops", "#dev"] });
        Assert.Equal(4, changes);
    }

    [Fact]
    public void A_direct_message_files_under_the_other_person_whoever_wrote_it()
    {
        var state = new ConversationState("ann");

        Assert.Equal("@bob", state.Apply(Chat("bob", "hi ann", "@ann")));
        Assert.Equal("@bob", state.Apply(Chat("ann", "hi bob", "@Bob") with { Mark = Conversations.HistoryMark }));
        Assert.Equal("@carol", state.Apply(Chat("carol", "psst", "@ANN")));
        Assert.Equal("#ops", state.Apply(Chat("bob", "deploy", "#ops")));
        Assert.Equal("#lobby", state.Apply(Chat("bob", "hello all", null)));

        Assert.Equal(["#lobby", "#ops", "@bob", "@carol"], state.All);
        Assert.Equal("#lobby", state.Current);
    }

    [Fact]
    public void Notices_of_a_room_belong_to_it_and_answers_to_requests_to_where_the_person_is()
    {
        var state = new ConversationState("ann");
        state.Open("#ops");

        Assert.Equal("#ops", state.Apply(Notice("join", "bob") with { To = "#ops" }));
        Assert.Equal("#lobby", state.Apply(Notice("join", "bob")));
        Assert.Equal("#lobby", state.Apply(Notice("roster", "bob")));
        Assert.Equal("@bob", state.Apply(Notice("history") with { To = "@bob", Ref = 2 }));
        Assert.Null(state.Apply(Notice("who", "ann") with { To = "#ops", Online = ["ann"] }));
        Assert.Null(state.Apply(Notice("refused") with { Code = "NOT_MEMBER", Ref = 4 }));
    }

    [Theory]
    [InlineData("rooms", "your rooms: #lobby, #ops")]
    [InlineData("joined", "you are in #ops; members: ann, bob")]
    [InlineData("left", "you left #ops")]
    [InlineData("who", "#ops: members ann, bob; online: bob")]
    [InlineData("history", "history of #ops: 2 earlier messages (those already shown are not shown again)")]
    [InlineData("join", "bob joined #ops")]
    [InlineData("leave", "bob left #ops")]
    public void Each_notice_reads_as_a_sentence(string presence, string sentence)
    {
        var notice = presence switch
        {
            "rooms" => Notice("rooms") with { Rooms = ["#lobby", "#ops"] },
            "joined" => Notice("joined", "ann", "bob") with { To = "#ops" },
            "left" => Notice("left") with { To = "#ops" },
            "who" => Notice("who", "ann", "bob") with { To = "#ops", Online = ["bob"] },
            "history" => Notice("history") with { To = "#ops", Ref = 2 },
            _ => Notice(presence, "bob") with { To = "#ops" },
        };

        Assert.Equal(sentence, Notices.Describe(notice, new Roster()));
    }

    [Fact]
    public void Empty_answers_and_lobby_presence_read_naturally()
    {
        Assert.Equal("no earlier messages in @bob", Notices.Describe(Notice("history") with { To = "@bob", Ref = 0 }, new Roster()));
        Assert.Equal("#ops: members ann; online: nobody", Notices.Describe(Notice("who", "ann") with { To = "#ops", Online = [] }, new Roster()));
        Assert.Equal("bob joined", Notices.Describe(new ChatMessageReceived(1, null, "bob joined", "system", Noon, "join", ["bob"]), new Roster()));
        var roster = new Roster();
        var online = Notice("roster", "ann", "bob");
        roster.Apply(online);
        Assert.Equal("online: ann, bob", Notices.Describe(online, roster));
    }

    [Theory]
    [InlineData("NOT_MEMBER", "message 7 was not delivered: you are not in #ops; /join #ops first", "not delivered (NOT_MEMBER): you are not in #ops; /join #ops first")]
    [InlineData("UNKNOWN_USER", "message 3 was not delivered: there is no user @nobody", "not delivered (UNKNOWN_USER): there is no user @nobody")]
    [InlineData("TOO_LARGE", "message 9 was not relayed: its plaintext is too large", "not delivered (TOO_LARGE): its plaintext is too large")]
    [InlineData("UNKNOWN_ROOM", "request 5 refused: there is no room #x", "not done (UNKNOWN_ROOM): there is no room #x")]
    [InlineData("SERVER_BUSY", "busy\u001b[2J", "not delivered (SERVER_BUSY): busy?[2J")]
    public void A_refusal_names_its_code_and_the_reason(string code, string text, string shown) =>
        Assert.Equal(shown, Notices.Describe(new ChatMessageReceived(1, null, text, "system", Noon, "refused") { Code = code, Ref = 7 }, new Roster()));

    [Fact]
    public void A_chat_line_names_its_conversation_when_it_is_not_the_current_one_and_its_mark()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(Noon).ToLocalTime().ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var live = Chat("bob", "deploy", "#ops");
        var signed = live with { Proof = ProofLevel.Author, AuthorEmail = "bob@example.org", Mark = Conversations.DelayedMark };

        Assert.Equal($"{time} [#ops] [bob (server-attested)] deploy", LineChat.Received(live, "#ops", "#lobby"));
        Assert.Equal($"{time} [bob (server-attested)] deploy", LineChat.Received(live, "#ops", "#ops"));
        Assert.Equal($"{time} [@bob] [bob <bob@example.org>] (delayed) deploy", LineChat.Received(signed, "@bob", "#lobby"));
        Assert.Equal($"{time} [bob (server-attested)] (history) x?[2J", LineChat.Received(live with { Mark = "history", Text = "x\u001b[2J" }, "#ops", "#ops"));
        Assert.Equal("#ops> ", LineChat.Prompt("#ops"));
        Assert.Equal($"{time} [@bob] [ann] hi", LineChat.ChatLine(DateTimeOffset.FromUnixTimeMilliseconds(Noon), "ann", "hi", Notices.Where("@bob", "#lobby")));
    }

    private static ChatMessageReceived Notice(string presence, params string[] users) =>
        new(1, null, "server text", "system", Noon, presence, users.Length == 0 ? null : users);

    private static ChatMessageReceived Chat(string from, string text, string? to) =>
        new(2, from, text, "chat", Noon) { To = to, Proof = ProofLevel.Server };
}
