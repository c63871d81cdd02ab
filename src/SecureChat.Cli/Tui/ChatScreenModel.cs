using System.Globalization;
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

/// <summary>One scrollback entry: time, author (null for notices), proof and text as received (made safe when shown).</summary>
internal sealed record ChatEntry(DateTimeOffset Time, string? Author, ProofMark Proof, string Text);

/// <summary>The state of the full-screen chat, independent of any terminal: the conversations (one room), the
/// scrollback, who is online and the status line. Fed from <see cref="ChatClient"/> events; not thread-safe (the
/// screen applies changes on its own thread).</summary>
internal sealed class ChatScreenModel
{
    /// <summary>The room every session is in until rooms exist.</summary>
    public const string Room = "# lobby";

    private readonly List<ChatEntry> _entries = [];
    private readonly int _limit;

    /// <summary>Creates a model that keeps at most <paramref name="limit"/> entries (older ones scroll away).</summary>
    public ChatScreenModel(string server, string user, string sessionId, string identityMode, int limit = 5000)
    {
        Server = server;
        User = user;
        SessionId = sessionId;
        IdentityMode = identityMode;
        _limit = limit;
    }

    /// <summary>Raised after any change.</summary>
    public event Action? Changed;

    /// <summary>The server, HOST:PORT.</summary>
    public string Server { get; }

    /// <summary>The logged-in user.</summary>
    public string User { get; private set; }

    /// <summary>The session id (hex) of the current or, while reconnecting, the last session.</summary>
    public string SessionId { get; private set; }

    /// <summary>Whether the session ended without the person asking and a new one is being set up.</summary>
    public bool Reconnecting { get; private set; }

    /// <summary>How this client's certificate identifies it (shared or per-user).</summary>
    public string IdentityMode { get; }

    /// <summary>Where the receipts stand: pending until the session ends, then exchanging, verified or failed (while
    /// reconnecting: those of the session that ended).</summary>
    public string Receipts { get; private set; } = "pending";

    /// <summary>The conversations; one room for now.</summary>
    public IReadOnlyList<string> Conversations { get; } = [Room];

    /// <summary>Who is online.</summary>
    public Roster Roster { get; } = new();

    /// <summary>The scrollback, oldest first.</summary>
    public IReadOnlyList<ChatEntry> Entries => _entries;

    /// <summary>The status line.</summary>
    public string Status =>
        $"{Display.Safe(Server)} | {Display.Safe(User)} | {(Reconnecting ? "reconnecting..." : $"session {Short(SessionId)}")} | {IdentityMode} | receipts {Receipts} | {Roster.Count} online";

    /// <summary>Applies a client event: a chat message, a server notice (which also updates the roster) or the end
    /// (which sets the receipts state; saying how it ended is for whoever decides what comes next).</summary>
    public void Apply(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case ChatMessageReceived { Kind: "system" } notice:
                Roster.Apply(notice);
                var text = notice.Event == "roster" && notice.Users is not null ? Roster.Describe() : notice.Text;
                Add(new ChatEntry(At(notice.SentMs), null, ProofMark.Server, text));
                break;
            case ChatMessageReceived message:
                Add(new ChatEntry(At(message.SentMs), message.From,
                    message.Proof == SecureChat.Protocol.Session.ProofLevel.Author ? ProofMark.AuthorSigned : ProofMark.ServerAttested, message.Text));
                break;
            case ChatEnded ended:
                Receipts = ended.ReceiptsMatched ? "verified" : "failed";
                Changed?.Invoke();
                break;
        }
    }

    /// <summary>Adds this client's own message once it was sent.</summary>
    public void AddOwn(DateTimeOffset when, string text) => Add(new ChatEntry(when, User, ProofMark.Own, text));

    /// <summary>Adds a line from this program (help, refusals, progress).</summary>
    public void AddLocal(string text) => Add(new ChatEntry(DateTimeOffset.Now, null, ProofMark.Local, text));

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
        User = user;
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

    /// <summary>One entry as a line: local time, proof mark, author, text (peer text made safe for the terminal).</summary>
    public static string Format(ChatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var time = entry.Time.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
        return entry.Author is null
            ? $"{time} {Mark(entry.Proof)} * {Display.Safe(entry.Text)}"
            : $"{time} {Mark(entry.Proof)} [{Display.Safe(entry.Author)}] {Display.Safe(entry.Text)}";
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
    public const string Legend = "marks: A author-signed  S server-attested  # server notice  > yours (in your transcript)";

    private void Add(ChatEntry entry)
    {
        _entries.Add(entry);
        if (_entries.Count > _limit)
        {
            _entries.RemoveRange(0, _entries.Count - _limit);
        }

        Changed?.Invoke();
    }

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Short(string id) => id.Length > 16 ? id[..16] : id;
}
