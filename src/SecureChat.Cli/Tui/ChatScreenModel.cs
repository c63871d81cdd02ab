using SecureChat.Cli.Interactive;
using SecureChat.Client;

namespace SecureChat.Cli.Tui;

/// <summary>What backs a message shown in the scrollback.</summary>
internal enum ProofMark
{
    /// <summary>Relayed chat: the server's signed, recorded relay says who wrote it.</summary>
    ServerAttested,

    /// <summary>Relayed chat carrying the author's own signature, checked here.</summary>
    AuthorSigned,

    /// <summary>A notice from the server (join, leave, roster).</summary>
    Server,

    /// <summary>This client's own message, recorded in its transcript before it left.</summary>
    Own,

    /// <summary>Text from this program (help, refusals), never sent or received.</summary>
    Local,
}

/// <summary>One scrollback entry: time, author (null for notices), proof, text as received (made safe when shown) and
/// the mark of a copy that is not live (<c>delayed</c>, <c>history</c>).</summary>
internal sealed record ChatEntry(DateTimeOffset Time, string? Author, ProofMark Proof, string Text, string? Mark = null);

/// <summary>The state of the full-screen chat, independent of any terminal: the conversations (#lobby, the user's rooms
/// and the people written to or heard from) each with its scrollback, who is online and the status line. Fed from
/// <see cref="ChatClient"/> events; not thread-safe (the screen applies changes on its own thread).</summary>
internal sealed class ChatScreenModel
{
    private readonly Scrollbacks _scrollbacks;

    /// <summary>Creates a model that keeps at most <paramref name="limit"/> entries per conversation (older ones scroll away).</summary>
    public ChatScreenModel(string server, string user, string sessionId, string identityMode, int limit = 5000)
    {
        Server = server;
        SessionId = sessionId;
        IdentityMode = identityMode;
        _scrollbacks = new Scrollbacks(limit);
        State = new ConversationState(user);
        State.Changed += () =>
        {
            _scrollbacks.Read(Current);
            Changed?.Invoke();
        };
    }

    /// <summary>Raised after any change.</summary>
    public event Action? Changed;

    /// <summary>The server, HOST:PORT.</summary>
    public string Server { get; }

    /// <summary>The logged-in user.</summary>
    public string User => State.User;

    /// <summary>The session id (hex) of the current or, while reconnecting, the last session.</summary>
    public string SessionId { get; private set; }

    /// <summary>Whether the session ended without the person asking and a new one is being set up.</summary>
    public bool Reconnecting { get; private set; }

    /// <summary>How this client's certificate identifies it (shared or per-user).</summary>
    public string IdentityMode { get; }

    /// <summary>Where the receipts stand: pending until the session ends, then exchanging, verified or failed (while
    /// reconnecting: those of the session that ended).</summary>
    public string Receipts { get; private set; } = "pending";

    /// <summary>The conversations, the current one and where typed lines go; shared with <see cref="ChatInput"/>.</summary>
    public ConversationState State { get; }

    /// <summary>The conversations as listed: #lobby, the rooms, the people.</summary>
    public IReadOnlyList<string> ConversationList => State.All;

    /// <summary>The conversation shown, where plain lines go.</summary>
    public string Current => State.Current;

    /// <summary>Who is online in #lobby.</summary>
    public Roster Roster { get; } = new();

    /// <summary>The scrollback of the current conversation, oldest first.</summary>
    public IReadOnlyList<ChatEntry> Entries => _scrollbacks.Of(Current);

    /// <summary>The status line.</summary>
    public string Status =>
        $"{Display.Safe(Server)} | {Display.Safe(User)} | {Display.Safe(Current)} | {(Reconnecting ? "reconnecting..." : $"session {Short(SessionId)}")} | {IdentityMode} | receipts {Receipts} | {Roster.Count} online";

    /// <summary>The scrollback of <paramref name="conversation"/>, oldest first.</summary>
    public IReadOnlyList<ChatEntry> EntriesOf(string conversation) => _scrollbacks.Of(conversation);

    /// <summary>How many messages of <paramref name="conversation"/> arrived while another one was shown.</summary>
    public int Unread(string conversation) => _scrollbacks.Unread(conversation);

    /// <summary>A conversation as listed: its name, and its unread count in parentheses when there is one.</summary>
    public string Label(string conversation) =>
        Unread(conversation) is > 0 and var unread ? $"{Display.Safe(conversation)} ({unread})" : Display.Safe(conversation);

    /// <summary>Shows <paramref name="conversation"/> (picked in the list): it becomes current.</summary>
    public void Open(string conversation) => State.Open(conversation);

    /// <summary>Applies a client event: a chat message (filed under its conversation, counted unread there when another
    /// one is shown), a server notice (which also updates the conversations and the roster) or the end (which sets the
    /// receipts state; saying how it ended is for whoever decides what comes next).</summary>
    public void Apply(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case ChatMessageReceived { Kind: "system" } notice:
                Roster.Apply(notice);
                var about = State.Apply(notice) ?? Current;
                Add(about, new ChatEntry(At(notice.SentMs), null, ProofMark.Server, Notices.Describe(notice, Roster)));
                break;
            case ChatMessageReceived message:
                var home = State.Apply(message) ?? Current;
                Add(home, new ChatEntry(At(message.SentMs), message.From,
                    message.Proof == SecureChat.Protocol.Session.ProofLevel.Author ? ProofMark.AuthorSigned : ProofMark.ServerAttested, message.Text, message.Mark),
                    unread: home != Current);
                break;
            case ChatEnded ended:
                Receipts = ended.ReceiptsMatched ? "verified" : "failed";
                Changed?.Invoke();
                break;
        }
    }

    /// <summary>Adds this client's own message once it was sent to <paramref name="conversation"/> (default: the current one).</summary>
    public void AddOwn(DateTimeOffset when, string text, string? conversation = null) =>
        Add(conversation is null ? Current : State.Track(conversation), new ChatEntry(when, User, ProofMark.Own, text));

    /// <summary>Adds a line from this program (help, refusals, progress) to the current conversation.</summary>
    public void AddLocal(string text) => Add(Current, new ChatEntry(DateTimeOffset.Now, null, ProofMark.Local, text));

    /// <summary>The session ended without the person asking: nobody is known to be online until a new session is up.</summary>
    public void Disconnected()
    {
        Reconnecting = true;
        Roster.Clear();
        Changed?.Invoke();
    }

    /// <summary>A new session is up: its user and id are shown, its receipts are pending.</summary>
    public void Reconnected(string user, string sessionId)
    {
        State.User = user;
        SessionId = sessionId;
        Reconnecting = false;
        Receipts = "pending";
        Changed?.Invoke();
    }

    /// <summary>The receipts are being exchanged.</summary>
    public void Ending()
    {
        Receipts = "exchanging";
        AddLocal("ending the session: exchanging signed receipts ... (Ctrl-C again leaves without them)");
    }

    /// <summary>One entry as a line: local time, proof mark, author, <c>(delayed)</c> or <c>(history)</c>, text (peer
    /// text made safe for the terminal).</summary>
    public static string Format(ChatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var time = Notices.Stamp(entry.Time);
        return entry.Author is null
            ? $"{time} {Mark(entry.Proof)} * {Display.Safe(entry.Text)}"
            : $"{time} {Mark(entry.Proof)} [{Display.Safe(entry.Author)}] {Notices.Mark(entry.Mark)}{Display.Safe(entry.Text)}";
    }

    /// <summary>The one-character mark shown for a proof.</summary>
    public static char Mark(ProofMark proof) => proof switch
    {
        ProofMark.AuthorSigned => 'A',
        ProofMark.ServerAttested => 'S',
        ProofMark.Server => '#',
        ProofMark.Own => '>',
        _ => ' ',
    };

    /// <summary>What the marks mean.</summary>
    public const string Legend =
        "marks: A author-signed  S server-attested  # server notice  > yours (in your transcript); (delayed) sent while you were away, (history) asked for";

    private void Add(string conversation, ChatEntry entry, bool unread = false)
    {
        _scrollbacks.Add(conversation, entry, unread);
        Changed?.Invoke();
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Short(string id) => id.Length > 16 ? id[..16] : id;
}
