using SecureChat.Cli.Interactive;
using static SecureChat.Cli.Interactive.ChatCommands;

namespace SecureChat.Cli.Tests;

/// <summary>The interactive clients' commands, without a terminal: how each typed line is read, what it does to the
/// conversations, and that unknown or malformed commands are refused here and never become a request.</summary>
public sealed class ChatCommandTests
{
    [Theory]
    [InlineData("hello", nameof(Kind.Message), "hello", null, 0)]
    [InlineData("  hello  ", nameof(Kind.Message), "  hello  ", null, 0)]
    [InlineData("//etc/passwd is a path", nameof(Kind.Message), "/etc/passwd is a path", null, 0)]
    [InlineData("   ", nameof(Kind.Empty), "", null, 0)]
    [InlineData("/help", nameof(Kind.Help), "/help", null, 0)]
    [InlineData("/?", nameof(Kind.Help), "/?", null, 0)]
    [InlineData("/QUIT", nameof(Kind.Quit), "/QUIT", null, 0)]
    [InlineData("/exit", nameof(Kind.Quit), "/exit", null, 0)]
    [InlineData("/rooms", nameof(Kind.Rooms), "/rooms", null, 0)]
    [InlineData("/join #ops", nameof(Kind.Join), "", "#ops", 0)]
    [InlineData("/Join   #team-2  50 ", nameof(Kind.Join), "", "#team-2", 50)]
    [InlineData("/leave", nameof(Kind.Leave), "", null, 0)]
    [InlineData("/leave #ops", nameof(Kind.Leave), "", "#ops", 0)]
    [InlineData("  /who ", nameof(Kind.Who), "", null, 0)]
    [InlineData("/who #ops", nameof(Kind.Who), "", "#ops", 0)]
    [InlineData("/msg @bob hi there", nameof(Kind.Msg), "hi there", "@bob", 0)]
    [InlineData("/msg Carol.B  /not a command", nameof(Kind.Msg), "/not a command", "@Carol.B", 0)]
    [InlineData("/history", nameof(Kind.History), "", null, DefaultHistory)]
    [InlineData("/history 100", nameof(Kind.History), "", null, 100)]
    [InlineData("/go #ops", nameof(Kind.Go), "", "#ops", 0)]
    [InlineData("/go @bob", nameof(Kind.Go), "", "@bob", 0)]
    [InlineData("/mgs x", nameof(Kind.Unknown), "/mgs", null, 0)]
    [InlineData("/me waves", nameof(Kind.Unknown), "/me", null, 0)]
    public void Every_command_is_read_with_its_arguments(string typed, string kind, string text, string? target, int count) =>
        Assert.Equal(new TypedLine(Enum.Parse<Kind>(kind), text, target, count), Parse(typed));

    [Theory]
    [InlineData("/join", "/join takes a room and optionally a number")]
    [InlineData("/join ops", "'ops' is not a room name")]
    [InlineData("/join #Ops", "'#Ops' is not a room name")]
    [InlineData("/join #ops 101", "'101' is not a number of past messages from 0 to 100")]
    [InlineData("/join #ops -1", "'-1' is not a number")]
    [InlineData("/join #ops 5 6", "/join takes a room and optionally a number")]
    [InlineData("/leave #lobby", "everyone stays in #lobby")]
    [InlineData("/leave ops", "'ops' is not a room name")]
    [InlineData("/who @bob", "'@bob' is not a room name")]
    [InlineData("/msg", "/msg needs a user and a text")]
    [InlineData("/msg @bob", "/msg @bob needs a text")]
    [InlineData("/msg bob   ", "/msg @bob needs a text")]
    [InlineData("/msg #ops hi", "'#ops' is not a username")]
    [InlineData("/msg b hi", "'b' is not a username")]
    [InlineData("/history 0", "'0' is not a number of past messages from 1 to 100")]
    [InlineData("/history x", "'x' is not a number")]
    [InlineData("/go", "/go needs one room or person")]
    [InlineData("/go bob", "'bob' is neither a room (#ops) nor a person (@bob)")]
    [InlineData("/rooms all", "/rooms takes nothing after it")]
    [InlineData("/quit now", "/quit takes nothing after it")]
    public void A_malformed_argument_is_refused_with_a_reason(string typed, string reason)
    {
        var line = Parse(typed);

        Assert.Equal(Kind.Invalid, line.Kind);
        Assert.Contains(reason, line.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_argument_cannot_drive_the_terminal()
    {
        var line = Parse("/join #a\u001b[2J");

        Assert.DoesNotContain('\u001b', line.Text);
    }

    [Theory]
    [InlineData("/mgs x")]
    [InlineData("/join #Ops")]
    [InlineData("/msg @bob")]
    [InlineData("/leave #lobby")]
    [InlineData("/msg @Ann hello me")]
    [InlineData("/go @ann")]
    public void Unknown_and_malformed_commands_are_answered_here_and_never_sent(string typed)
    {
        var state = new ConversationState("ann");

        var action = Interpret(typed, state);

        Assert.Null(action.Request);
        Assert.False(action.Quit);
        var said = Assert.Single(action.Local);
        Assert.True(said.StartsWith("not sent: ", StringComparison.Ordinal) || said.StartsWith("/mgs: no such command, nothing was sent", StringComparison.Ordinal), said);
        Assert.Equal("#lobby", state.Current);
    }

    [Fact]
    public void The_help_lists_every_command()
    {
        foreach (var command in new[] { "/join", "/leave", "/rooms", "/who", "/msg", "/go", "/history", "/help", "/quit", "//" })
        {
            Assert.Contains(Help, l => l.StartsWith(command, StringComparison.Ordinal));
        }

        Assert.Equal(Help, Interpret("/help", new ConversationState("ann")).Local);
    }

    [Fact]
    public void Plain_lines_go_to_the_current_conversation_and_join_makes_the_room_current_at_once()
    {
        var state = new ConversationState("ann");
        Assert.Equal(new ChatRequest(ChatRequest.Say, "#lobby", "hi all"), Interpret("hi all", state).Request);

        Assert.Equal(new ChatRequest("join", "#ops", Limit: 10), Interpret("/join #ops 10", state).Request);
        Assert.Equal("#ops", state.Current);
        Assert.Equal(["#lobby", "#ops"], state.All);
        Assert.Equal(new ChatRequest(ChatRequest.Say, "#ops", "deploy"), Interpret("deploy", state).Request);
        Assert.Equal(new ChatRequest("history", "#ops", Limit: 20), Interpret("/history", state).Request);
        Assert.Equal(new ChatRequest("who", "#ops"), Interpret("/who", state).Request);
        Assert.Equal(new ChatRequest("rooms", null), Interpret("/rooms", state).Request);
    }

    [Fact]
    public void Leave_defaults_to_the_current_room_and_goes_back_to_the_lobby()
    {
        var state = new ConversationState("ann");
        Interpret("/join #ops", state);

        Assert.Equal(new ChatRequest("leave", "#ops"), Interpret("/leave", state).Request);
        Assert.Equal("#lobby", state.Current);
        Assert.Equal(new ChatRequest(ChatRequest.Say, "#lobby", "back"), Interpret("back", state).Request);

        var lobby = Interpret("/leave", state);
        Assert.Null(lobby.Request);
        Assert.Contains("everyone stays in #lobby", Assert.Single(lobby.Local), StringComparison.Ordinal);
    }

    [Fact]
    public void Msg_writes_to_a_person_without_switching_and_go_switches()
    {
        var state = new ConversationState("ann");

        Assert.Equal(new ChatRequest(ChatRequest.Say, "@bob", "psst"), Interpret("/msg bob psst", state).Request);
        Assert.Equal("#lobby", state.Current);
        Assert.Equal(["#lobby", "@bob"], state.All);

        var go = Interpret("/go @Bob", state);
        Assert.Null(go.Request);
        Assert.Equal(["now writing to @bob"], go.Local);
        Assert.Equal("@bob", state.Current);
        Assert.Equal(new ChatRequest(ChatRequest.Say, "@bob", "still there?"), Interpret("still there?", state).Request);
        Assert.Equal(new ChatRequest("history", "@bob", Limit: 5), Interpret("/history 5", state).Request);

        // In a direct conversation /who is about #lobby: who is online, known here.
        Assert.Equal(["online: nobody else is known to be online"], Interpret("/who", state).Local);
    }

    [Fact]
    public void Go_to_a_room_one_is_not_in_is_refused_here()
    {
        var state = new ConversationState("ann");

        var action = Interpret("/go #ops", state);

        Assert.Null(action.Request);
        Assert.Equal(["you are not in #ops: /join #ops first"], action.Local);
        Assert.Equal("#lobby", state.Current);
    }

    [Fact]
    public void Without_a_session_nothing_is_sent_but_go_help_and_quit_still_work()
    {
        var state = new ConversationState("ann");
        Interpret("/msg bob hi", state);

        foreach (var typed in new[] { "hello", "/join #ops", "/rooms", "/history", "/msg bob hi" })
        {
            var action = ChatInput.Interpret(Parse(typed), state, () => "online: ann", connected: false);
            Assert.Null(action.Request);
            Assert.Equal([ChatInput.NotConnected], action.Local);
        }

        Assert.Equal("#lobby", state.Current);
        Assert.Equal(["online: not connected (reconnecting)"], ChatInput.Interpret(Parse("/who"), state, () => "online: ann", connected: false).Local);
        ChatInput.Interpret(Parse("/go @bob"), state, () => "", connected: false);
        Assert.Equal("@bob", state.Current);
        Assert.True(ChatInput.Interpret(Parse("/quit"), state, () => "", connected: false).Quit);
    }

    [Fact]
    public void Starting_in_a_room_or_with_a_person_takes_the_steps_a_person_would_type()
    {
        Assert.Equal([new TypedLine(Kind.Join, "", "#ops", 5)], new ChatStart("#ops", true, 5).Lines());
        Assert.Equal([new TypedLine(Kind.Go, "", "@bob"), new TypedLine(Kind.History, "", null, 3)], new ChatStart("@bob", false, 3).Lines());
        Assert.Equal([new TypedLine(Kind.History, "", null, 7)], new ChatStart("#lobby", false, 7).Lines());
        Assert.Empty(ChatStart.Lobby.Lines());
    }

    private static ChatAction Interpret(string typed, ConversationState state) =>
        ChatInput.Interpret(Parse(typed), state, () => "online: nobody else is known to be online", connected: true);
}
