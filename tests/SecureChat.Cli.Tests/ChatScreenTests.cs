using SecureChat.Cli.Tui;
using SecureChat.Client;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;
using Terminal.Gui.Views;

namespace SecureChat.Cli.Tests;

/// <summary>The full-screen chat's views on Terminal.Gui's ANSI driver with injected input and virtual time (no
/// terminal): layout, typing and Enter, history, scrollback, resize, long lines and paste.</summary>
public sealed class ChatScreenTests
{
    private static readonly long Noon = new DateTimeOffset(2025, 1, 2, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void The_layout_has_conversations_scrollback_input_and_status_rows()
    {
        using var ui = new Ui(80, 12);

        var rows = ui.Rows();

        Assert.Contains("chats", rows[0], StringComparison.Ordinal);
        Assert.Contains("#lobby", rows[0], StringComparison.Ordinal);
        Assert.Contains("#lobby", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("> ", rows[10], StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:7443 | ann | #lobby | session", rows[11], StringComparison.Ordinal);
        Assert.Equal(10, ui.Screen.Input.Frame.Y);
        Assert.Equal(11, ui.Screen.StatusLine.Frame.Y);
    }

    [Fact]
    public void Typing_a_line_and_Enter_hands_it_over_clears_the_input_and_Up_brings_it_back()
    {
        using var ui = new Ui(80, 12);
        var entered = new List<string>();
        ui.Screen.LineEntered += entered.Add;

        ui.Type("hello there");
        ui.App.InjectKey(Key.Enter);
        Assert.Equal(["hello there"], entered);
        Assert.Equal("", ui.Screen.InputText);

        ui.App.InjectKey(Key.CursorUp);
        Assert.Equal("hello there", ui.Screen.InputText);
        ui.App.InjectKey(Key.CursorDown);
        Assert.Equal("", ui.Screen.InputText);
    }

    [Fact]
    public void Ctrl_C_and_Ctrl_D_on_an_empty_line_ask_to_quit_and_Esc_does_not_close_the_screen()
    {
        using var ui = new Ui(80, 12);
        var quits = 0;
        ui.Screen.QuitRequested += () => quits++;

        ui.App.InjectKey(Key.Esc);
        ui.Type("x");
        ui.App.InjectKey(Key.D.WithCtrl);
        Assert.Equal(0, quits);
        ui.App.InjectKey(Key.C.WithCtrl);
        ui.App.InjectKey(Key.Backspace);
        ui.App.InjectKey(Key.D.WithCtrl);

        Assert.Equal(2, quits);
        Assert.True(ui.Screen.IsRunning);
    }

    [Fact]
    public void The_scrollback_grows_follows_the_newest_line_and_pages_back()
    {
        using var ui = new Ui(80, 12);
        for (var i = 0; i < 30; i++)
        {
            ui.Model.Apply(new ChatMessageReceived(i, "bob", $"message {i}", "chat", Noon));
        }

        var screen = ui.Draw();
        Assert.Equal(30, ui.Screen.Rows.Count);
        Assert.Contains("S [bob] message 29", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("message 10", screen, StringComparison.Ordinal);

        ui.App.InjectKey(Key.PageUp);
        screen = ui.Draw();
        Assert.DoesNotContain("message 29", screen, StringComparison.Ordinal);
        Assert.True(ui.Screen.FirstVisibleRow < 22);
    }

    [Fact]
    public void Resizing_keeps_the_input_line_above_the_status_line_and_rewraps_long_lines()
    {
        using var ui = new Ui(80, 12);
        ui.Type("draft");
        ui.Model.Apply(new ChatMessageReceived(1, "bob", string.Join(' ', Enumerable.Repeat("word", 30)), "chat", Noon));
        ui.Draw();
        var wide = ui.Screen.Rows.Count;

        ui.App.Driver!.SetScreenSize(50, 8);
        var rows = ui.Rows();

        Assert.Equal(6, ui.Screen.Input.Frame.Y);
        Assert.Equal(7, ui.Screen.StatusLine.Frame.Y);
        Assert.StartsWith("> draft", rows[6], StringComparison.Ordinal);
        Assert.True(ui.Screen.Rows.Count > wide);
        Assert.All(ui.Screen.Rows, r => Assert.True(r.Length <= 50 - ChatScreen.ConversationsWidth - 2, r));
        Assert.Equal("draft", ui.Screen.InputText);
    }

    [Fact]
    public void The_conversation_list_shows_rooms_and_people_with_unread_counts_and_the_scrollback_only_the_current_one()
    {
        using var ui = new Ui(80, 12);
        ui.Model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#ops"] });
        ui.Model.Apply(new ChatMessageReceived(2, "bob", "in the lobby", "chat", Noon));
        ui.Model.Apply(new ChatMessageReceived(3, "bob", "deploy at 10", "chat", Noon) { To = "#ops" });
        ui.Model.Apply(new ChatMessageReceived(4, "carol", "psst", "chat", Noon) { To = "@ann" });

        var rows = ui.Rows();

        Assert.Equal(["#lobby", "#ops (1)", "@carol (1)"], ui.Screen.ConversationLabels);
        Assert.Contains("#ops (1)", rows[2], StringComparison.Ordinal);
        Assert.Contains("@carol (1)", rows[3], StringComparison.Ordinal);
        var screen = string.Join('\n', rows);
        Assert.Contains("S [bob] in the lobby", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("deploy at 10", screen, StringComparison.Ordinal);

        ui.Model.Open("#ops");
        screen = ui.Draw();

        Assert.Equal("#ops", ui.Screen.ScrollbackTitle);
        Assert.Contains("S [bob] deploy at 10", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("in the lobby", screen, StringComparison.Ordinal);
        Assert.Equal(["#lobby", "#ops", "@carol (1)"], ui.Screen.ConversationLabels);
        Assert.Contains("| ann | #ops | session", ui.Rows()[11], StringComparison.Ordinal);
    }

    [Fact]
    public void Tab_moves_to_the_list_where_Up_and_Down_switch_conversations_and_Enter_returns_to_the_input()
    {
        using var ui = new Ui(80, 12);
        ui.Model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#ops"] });
        ui.Model.Apply(new ChatMessageReceived(2, "carol", "psst", "chat", Noon) { To = "@ann" });
        ui.Draw();
        var quits = 0;
        ui.Screen.QuitRequested += () => quits++;

        ui.App.InjectKey(Key.Tab);
        Assert.True(ui.Screen.ConversationList.HasFocus);
        ui.App.InjectKey(Key.CursorDown);
        Assert.Equal("#ops", ui.Model.Current);
        ui.App.InjectKey(Key.CursorDown);
        Assert.Equal("@carol", ui.Model.Current);
        var screen = ui.Draw();
        Assert.Contains("S [carol] psst", screen, StringComparison.Ordinal);
        Assert.Equal("@carol", ui.Screen.ScrollbackTitle);

        ui.App.InjectKey(Key.Enter);
        Assert.True(ui.Screen.Input.HasFocus);
        ui.Type("x");
        Assert.Equal("x", ui.Screen.InputText);

        // Esc in the list goes back to the input; it never closes the screen.
        ui.App.InjectKey(Key.Tab);
        ui.App.InjectKey(Key.Esc);
        Assert.True(ui.Screen.Input.HasFocus);
        Assert.True(ui.Screen.IsRunning);
        ui.App.InjectKey(Key.Tab);
        ui.App.InjectKey(Key.C.WithCtrl);
        Assert.Equal(1, quits);
    }

    [Fact]
    public void Switching_with_a_command_selects_the_conversation_in_the_list()
    {
        using var ui = new Ui(80, 12);
        ui.Model.Apply(new ChatMessageReceived(1, null, "", "system", Noon, "rooms") { Rooms = ["#lobby", "#dev", "#ops"] });

        ui.Model.Open("@bob");
        ui.Draw();

        Assert.Equal(["#lobby", "#dev", "#ops", "@bob"], ui.Screen.ConversationLabels);
        Assert.Equal(3, ((ListView)ui.Screen.ConversationList).SelectedItem);
        Assert.Equal("@bob", ui.Screen.ScrollbackTitle);
    }

    [Fact]
    public void A_paste_with_line_breaks_stays_in_the_input_as_one_line()
    {
        using var ui = new Ui(80, 12);
        var entered = new List<string>();
        ui.Screen.LineEntered += entered.Add;

        ui.Screen.InsertPasted("first\nsecond\r\nthird\u001b");

        Assert.Empty(entered);
        Assert.Equal("first second third?", ui.Screen.InputText);
    }

    [Fact]
    public void Wrapping_breaks_at_spaces_and_indents_continuations()
    {
        var rows = ChatScreen.Wrap("12:00 S [bob] " + new string('a', 10) + " " + new string('b', 30), 30).ToList();

        Assert.Equal("12:00 S [bob] aaaaaaaaaa", rows[0]);
        Assert.All(rows.Skip(1), r => Assert.StartsWith("      ", r, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(r.Length <= 30));
        Assert.Equal(new string('b', 30), string.Concat(rows.Skip(1).Select(r => r.Trim())));
    }

    /// <summary>A chat screen begun on an application with the ANSI driver, injected input and virtual time.</summary>
    private sealed class Ui : IDisposable
    {
        private readonly SessionToken _token;

        public Ui(int width, int height)
        {
            App = Application.Create(new VirtualTimeProvider());
            App.Init(DriverRegistry.Names.ANSI);
            App.Driver!.SetScreenSize(width, height);
            Model = ChatScreenModelTests.NewModel();
            Screen = new ChatScreen(Model);
            _token = App.Begin(Screen) ?? throw new InvalidOperationException("the screen did not begin");
            Draw();
        }

        public IApplication App { get; }

        public ChatScreenModel Model { get; }

        public ChatScreen Screen { get; }

        public void Type(string text)
        {
            foreach (var c in text)
            {
                App.InjectKey(new Key(c));
            }
        }

        public string Draw()
        {
            App.LayoutAndDraw(true);
            return App.Driver!.ToString() ?? "";
        }

        public string[] Rows() => Draw().Split('\n').Select(r => r.TrimEnd('\r')).ToArray();

        public void Dispose()
        {
            App.End(_token);
            Screen.Dispose();
            App.Dispose();
        }
    }
}
