using SecureChat.Cli.Tui;
using SecureChat.Client;
using SecureChat.Protocol;

namespace SecureChat.Cli.Tests;

/// <summary>The full-screen chat's model, without a terminal: what client events become, the status line, the
/// proof marks and the input history.</summary>
public sealed class ChatScreenModelTests
{
    private static readonly long Noon = new DateTimeOffset(2025, 1, 2, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Relayed_chat_is_server_attested_and_notices_are_the_servers_and_update_the_roster()
    {
        var model = NewModel();
        model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "roster", ["ann", "bob"]));
        model.Apply(new ChatMessageReceived(2, "bob", "hi ann", "chat", Noon));
        model.Apply(new ChatMessageReceived(3, null, "cat joined", "system", Noon, "join", ["cat"]));

        Assert.Collection(model.Entries,
            e => Assert.Equal((null, ProofMark.Server, "online: ann, bob"), (e.Author, e.Proof, e.Text)),
            e => Assert.Equal(("bob", ProofMark.ServerAttested, "hi ann"), (e.Author, e.Proof, e.Text)),
            e => Assert.Equal((null, ProofMark.Server, "cat joined"), (e.Author, e.Proof, e.Text)));
        Assert.Equal(3, model.Roster.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Noon), model.Entries[1].Time);
    }

    [Fact]
    public void A_line_shows_time_mark_author_and_text_with_terminal_controls_made_harmless()
    {
        var entry = new ChatEntry(DateTimeOffset.FromUnixTimeMilliseconds(Noon), "bob\u001b[2J", ProofMark.ServerAttested, "hi\u202Eyou\r");

        var line = ChatScreenModel.Format(entry);

        Assert.Matches(@"^\d\d:\d\d S \[bob\?\[2J\] hi\?you\?$", line);
        Assert.EndsWith("# * bob left", ChatScreenModel.Format(entry with { Author = null, Proof = ProofMark.Server, Text = "bob left" }), StringComparison.Ordinal);
        Assert.Contains(" A [bob", ChatScreenModel.Format(entry with { Proof = ProofMark.AuthorSigned }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_line_names_server_user_session_identity_mode_and_receipts()
    {
        var model = NewModel();
        Assert.Equal("127.0.0.1:7443 | ann | #lobby | session 0123456789abcdef | shared identity | receipts pending | 0 online", model.Status);

        model.Ending();
        Assert.Contains("receipts exchanging", model.Status, StringComparison.Ordinal);
        model.Apply(new ChatEnded(true, null));
        Assert.Contains("receipts verified", model.Status, StringComparison.Ordinal);
        model.Apply(new ChatEnded(false, new ProtocolException(ProtocolErrorCode.Timeout, "no receipt")));
        Assert.Contains("receipts failed", model.Status, StringComparison.Ordinal);
    }

    [Fact]
    public void While_reconnecting_the_status_says_so_and_nobody_is_known_online_then_the_new_session_shows()
    {
        var model = NewModel();
        model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "roster", ["ann", "bob"]));
        var entries = model.Entries.Count;

        model.Apply(new ChatEnded(true, null));
        model.Disconnected();

        Assert.True(model.Reconnecting);
        Assert.Equal("127.0.0.1:7443 | ann | #lobby | reconnecting... | shared identity | receipts verified | 0 online", model.Status);
        Assert.Equal(entries, model.Entries.Count);

        model.Reconnected("ann", "fedcba9876543210fedc");

        Assert.False(model.Reconnecting);
        Assert.Equal("127.0.0.1:7443 | ann | #lobby | session fedcba9876543210 | shared identity | receipts pending | 0 online", model.Status);
    }

    [Fact]
    public void Own_messages_are_marked_as_yours_and_old_entries_scroll_away_past_the_limit()
    {
        var model = new ChatScreenModel("h:1", "ann", "00", "shared identity", limit: 3);
        var changes = 0;
        model.Changed += () => changes++;
        for (var i = 0; i < 5; i++)
        {
            model.AddOwn(DateTimeOffset.Now, $"m{i}");
        }

        Assert.Equal(["m2", "m3", "m4"], model.Entries.Select(e => e.Text));
        Assert.Equal("#lobby", model.Current);
        Assert.All(model.Entries, e => Assert.Equal((ProofMark.Own, "ann"), (e.Proof, e.Author)));
        Assert.Equal(5, changes);
    }

    [Fact]
    public void The_conversation_list_follows_the_rooms_joined_and_left_notices()
    {
        var model = NewModel();
        Assert.Equal(["#lobby"], model.ConversationList);

        model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#ops"] });
        model.Apply(new ChatMessageReceived(2, null, "", "system", Noon, "joined", ["ann", "bob"]) { To = "#dev" });
        Assert.Equal(["#lobby", "#dev", "#ops"], model.ConversationList);

        model.Open("#ops");
        model.Apply(new ChatMessageReceived(3, null, "", "system", Noon, "left") { To = "#ops" });
        Assert.Equal(["#lobby", "#dev"], model.ConversationList);
        Assert.Equal("#lobby", model.Current);
        Assert.Contains(model.Entries, e => e.Text == "you left #ops");
        Assert.Contains(model.EntriesOf("#dev"), e => e.Text == "you are in #dev; members: ann, bob");
    }

    [Fact]
    public void Each_conversation_keeps_its_own_scrollback_and_counts_what_arrived_while_another_was_shown()
    {
        var model = NewModel();
        model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#ops"] });
        model.Apply(new ChatMessageReceived(2, "bob", "in the lobby", "chat", Noon));
        model.Apply(new ChatMessageReceived(3, "bob", "deploy", "chat", Noon) { To = "#ops" });
        model.Apply(new ChatMessageReceived(4, "bob", "at 10", "chat", Noon) { To = "#ops" });

        Assert.Equal(["in the lobby"], model.Entries.Where(e => e.Author is not null).Select(e => e.Text));
        Assert.Equal(2, model.Unread("#ops"));
        Assert.Equal("#ops (2)", model.Label("#ops"));

        var changes = 0;
        model.Changed += () => changes++;
        model.Open("#ops");

        Assert.Equal(1, changes);
        Assert.Equal("#ops", model.Current);
        Assert.Equal(["deploy", "at 10"], model.Entries.Select(e => e.Text));
        Assert.Equal(0, model.Unread("#ops"));
        Assert.Equal("#ops", model.Label("#ops"));
        Assert.Contains("| ann | #ops | session", model.Status, StringComparison.Ordinal);

        model.AddLocal("help text");
        model.AddOwn(DateTimeOffset.Now, "on it");
        Assert.Equal(["deploy", "at 10", "help text", "on it"], model.Entries.Select(e => e.Text));
        Assert.Single(model.EntriesOf("#lobby"), e => e.Author is not null);
    }

    [Fact]
    public void A_direct_message_creates_its_conversation_and_ones_own_goes_there_too()
    {
        var model = NewModel();

        model.Apply(new ChatMessageReceived(1, "bob", "psst", "chat", Noon) { To = "@ann", Proof = SecureChat.Protocol.Session.ProofLevel.Author });
        model.AddOwn(DateTimeOffset.Now, "to carol", "@carol");

        Assert.Equal(["#lobby", "@bob", "@carol"], model.ConversationList);
        Assert.Equal(1, model.Unread("@bob"));
        Assert.Equal(0, model.Unread("@carol"));
        var entry = Assert.Single(model.EntriesOf("@bob"));
        Assert.Equal(("bob", ProofMark.AuthorSigned, "psst"), (entry.Author, entry.Proof, entry.Text));
        Assert.Equal(("ann", ProofMark.Own), (model.EntriesOf("@carol")[0].Author, model.EntriesOf("@carol")[0].Proof));
        Assert.DoesNotContain(model.Entries, e => e.Author is not null);
    }

    [Fact]
    public void After_a_reconnect_the_current_conversation_stays_and_the_new_rooms_notice_refreshes_the_list()
    {
        var model = NewModel();
        model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#ops"] });
        model.Open("#ops");
        model.Apply(new ChatMessageReceived(2, "bob", "before", "chat", Noon) { To = "#ops" });

        model.Apply(new ChatEnded(true, null));
        model.Disconnected();
        model.Reconnected("ann", "fedcba9876543210fedc");
        model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#dev", "#ops"] });
        model.Apply(new ChatMessageReceived(2, "bob", "after", "chat", Noon) { To = "#ops" });

        Assert.Equal("#ops", model.Current);
        Assert.Equal(["#lobby", "#dev", "#ops"], model.ConversationList);
        Assert.Equal(["before", "after"], model.Entries.Where(e => e.Author is not null).Select(e => e.Text));
    }

    [Fact]
    public void Delayed_and_history_copies_are_marked()
    {
        var model = NewModel();

        model.Apply(new ChatMessageReceived(1, "bob", "while you were away", "chat", Noon) { Mark = "delayed" });
        model.Apply(new ChatMessageReceived(2, "bob", "long ago", "chat", Noon) { Mark = "history" });
        model.Apply(new ChatMessageReceived(3, null, "", "system", Noon, "history") { To = "#lobby", Ref = 1 });

        Assert.Collection(model.Entries,
            e => Assert.Matches(@"^\d\d:\d\d S \[bob\] \(delayed\) while you were away$", ChatScreenModel.Format(e)),
            e => Assert.Matches(@"^\d\d:\d\d S \[bob\] \(history\) long ago$", ChatScreenModel.Format(e)),
            e => Assert.EndsWith("# * history of #lobby: 1 earlier message (those already shown are not shown again)", ChatScreenModel.Format(e), StringComparison.Ordinal));
    }

    [Fact]
    public void History_walks_back_and_forth_and_keeps_the_draft()
    {
        var history = new InputHistory();
        history.Add("one");
        history.Add("two");
        history.Add("two");
        history.Add("  ");

        Assert.Equal("two", history.Previous("draft"));
        Assert.Equal("one", history.Previous("two"));
        Assert.Null(history.Previous("one"));
        Assert.Equal("two", history.Next());
        Assert.Equal("draft", history.Next());
        Assert.Null(history.Next());
    }

    internal static ChatScreenModel NewModel() => new("127.0.0.1:7443", "ann", "0123456789abcdef0123", "shared identity");
}
