namespace SecureChat.Cli.Tui;

/// <summary>Lines entered before, walked with Up and Down; what was being typed comes back after the newest.</summary>
internal sealed class InputHistory(int limit = 500)
{
    private readonly List<string> _lines = [];
    private int _index;
    private string _draft = "";

    /// <summary>Remembers a submitted line (not an empty one, nor a repeat of the last) and returns to the draft.</summary>
    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Trim().Length > 0 && (_lines.Count == 0 || _lines[^1] != line))
        {
            _lines.Add(line);
            if (_lines.Count > limit)
            {
                _lines.RemoveAt(0);
            }
        }

        _index = _lines.Count;
        _draft = "";
    }

    /// <summary>The line before, given what is typed now (kept as the draft when leaving it); null at the oldest.</summary>
    public string? Previous(string current)
    {
        if (_index == 0)
        {
            return null;
        }

        if (_index == _lines.Count)
        {
            _draft = current;
        }

        return _lines[--_index];
    }

    /// <summary>The line after, or the draft after the newest; null when already at the draft.</summary>
    public string? Next()
    {
        if (_index >= _lines.Count)
        {
            return null;
        }

        _index++;
        return _index == _lines.Count ? _draft : _lines[_index];
    }
}
