using SecureChat.Cli.Interactive;
using SecureChat.Client;

namespace SecureChat.Cli.Tests;

/// <summary>The interactive client's line editing and roster, without a terminal.</summary>
public sealed class LineEditingTests
{
    [Fact]
    public void Left_and_right_move_the_cursor_and_typing_inserts_there()
    {
        var line = Type("helo");
        line.Left();
        line.Insert('l');
        line.Right();
        line.Right();
        line.Insert('!');
        line.Home();
        line.DeleteForward();

        Assert.Equal("ello!", line.Text);
        Assert.Equal(0, line.Cursor);
    }

    [Fact]
    public void Up_and_down_walk_the_history_and_come_back_to_the_draft()
    {
        var line = new LineBuffer();
        Assert.Equal("first", Submit(line, "first"));
        Assert.Equal("second", Submit(line, "second"));
        Submit(line, "second");
        foreach (var c in "draft")
        {
            line.Insert(c);
        }

        line.Previous();
        Assert.Equal("second", line.Text);
        line.Previous();
        Assert.Equal("first", line.Text);
        line.Previous();
        Assert.Equal("first", line.Text);
        line.Next();
        line.Next();
        Assert.Equal("draft", line.Text);
    }

    [Fact]
    public void A_line_wider_than_the_terminal_scrolls_in_one_row_with_the_cursor_in_view()
    {
        var line = Type(new string('a', 50) + new string('b', 100));

        var (visible, column) = line.Render("> ", 40);

        Assert.True(visible.Length < 40, visible);
        Assert.StartsWith("> ", visible, StringComparison.Ordinal);
        Assert.EndsWith("bbb", visible, StringComparison.Ordinal);
        Assert.InRange(column, 2, 39);

        line.Home();
        (visible, column) = line.Render("> ", 40);
        Assert.Equal("> " + new string('a', 37), visible);
        Assert.Equal(2, column);
    }

    [Fact]
    public void A_short_line_is_drawn_whole_with_the_cursor_where_it_is()
    {
        var line = Type("hello");
        line.Left();

        Assert.Equal(("> hello", 6), line.Render("> ", 80));
    }

    [Fact]
    public void Who_lists_a_user_with_two_sessions_once_and_keeps_them_until_both_leave()
    {
        var roster = new Roster();
        roster.Apply(Notice("roster", "alice", "bob", "bob"));
        Assert.Equal("online: alice, bob (2 sessions)", roster.Describe());

        roster.Apply(Notice("leave", "bob"));
        Assert.Equal("online: alice, bob", roster.Describe());
        roster.Apply(Notice("join", "carol"));
        roster.Apply(Notice("leave", "bob"));
        Assert.Equal("online: alice, carol", roster.Describe());
    }

    [Fact]
    public void Room_joins_and_leaves_do_not_count_as_sessions_of_the_lobby()
    {
        var roster = new Roster();
        roster.Apply(Notice("roster", "alice"));
        roster.Apply(Notice("join", "bob") with { To = "#ops" });
        roster.Apply(Notice("leave", "alice") with { To = "#ops" });

        Assert.Equal("online: alice", roster.Describe());
    }

    [Fact]
    public void A_chat_line_carries_the_local_time_of_sending()
    {
        var sent = new DateTimeOffset(2026, 1, 2, 13, 45, 10, TimeSpan.Zero);

        var shown = LineChat.ChatLine(sent, "bob", "hi\u001b[2K");

        Assert.Equal($"{sent.ToLocalTime():HH:mm} [bob] hi?[2K", shown);
    }

    private static LineBuffer Type(string text)
    {
        var line = new LineBuffer();
        foreach (var c in text)
        {
            line.Insert(c);
        }

        return line;
    }

    private static string Submit(LineBuffer line, string text)
    {
        foreach (var c in text)
        {
            line.Insert(c);
        }

        return line.Submit();
    }

    private static ChatMessageReceived Notice(string presence, params string[] users) =>
        new(1, null, "notice", "system", 0, presence, users);
}
