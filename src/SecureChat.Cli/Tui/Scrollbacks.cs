namespace SecureChat.Cli.Tui;

/// <summary>The scrollback of each conversation, and how many of its messages arrived while another conversation was
/// shown. Not thread-safe (the screen's thread only).</summary>
/// <param name="limit">The most entries kept per conversation (older ones scroll away).</param>
internal sealed class Scrollbacks(int limit)
{
    private readonly Dictionary<string, List<ChatEntry>> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _unread = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The entries of <paramref name="conversation"/>, oldest first.</summary>
    public IReadOnlyList<ChatEntry> Of(string conversation) => _entries.TryGetValue(conversation, out var entries) ? entries : [];

    /// <summary>Adds an entry to <paramref name="conversation"/>; <paramref name="unread"/> counts it as not yet seen.</summary>
    public void Add(string conversation, ChatEntry entry, bool unread)
    {
        if (!_entries.TryGetValue(conversation, out var entries))
        {
            entries = [];
            _entries[conversation] = entries;
        }

        entries.Add(entry);
        if (entries.Count > limit)
        {
            entries.RemoveRange(0, entries.Count - limit);
        }

        if (unread)
        {
            _unread[conversation] = Unread(conversation) + 1;
        }
    }

    /// <summary>How many messages of <paramref name="conversation"/> arrived unseen.</summary>
    public int Unread(string conversation) => _unread.GetValueOrDefault(conversation);

    /// <summary><paramref name="conversation"/> is shown: nothing in it is unseen.</summary>
    public void Read(string conversation) => _unread.Remove(conversation);
}
