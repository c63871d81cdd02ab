using System.Text;

namespace SecureChat.Cli.Interactive;

/// <summary>The line being typed, the cursor in it and the lines typed before (Up/Down); no terminal I/O.</summary>
internal sealed class LineBuffer
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _history = [];
    private readonly int _historyLimit;
    private int _historyIndex;
    private string _draft = "";

    /// <summary>Creates an empty line that remembers up to <paramref name="historyLimit"/> submitted lines.</summary>
    public LineBuffer(int historyLimit = 500)
    {
        _historyLimit = historyLimit;
    }

    /// <summary>What has been typed.</summary>
    public string Text => _text.ToString();

    /// <summary>The cursor: the index of the character it stands before.</summary>
    public int Cursor { get; private set; }

    /// <summary>Whether nothing has been typed.</summary>
    public bool IsEmpty => _text.Length == 0;

    /// <summary>Inserts a character at the cursor.</summary>
    public void Insert(char c)
    {
        _text.Insert(Cursor, c);
        Cursor++;
    }

    /// <summary>Deletes the character before the cursor (Backspace).</summary>
    public void DeleteBackward()
    {
        if (Cursor > 0)
        {
            _text.Remove(--Cursor, 1);
        }
    }

    /// <summary>Deletes the character under the cursor (Delete).</summary>
    public void DeleteForward()
    {
        if (Cursor < _text.Length)
        {
            _text.Remove(Cursor, 1);
        }
    }

    /// <summary>Moves the cursor one character left.</summary>
    public void Left() => Cursor = Math.Max(0, Cursor - 1);

    /// <summary>Moves the cursor one character right.</summary>
    public void Right() => Cursor = Math.Min(_text.Length, Cursor + 1);

    /// <summary>Moves the cursor to the start of the line.</summary>
    public void Home() => Cursor = 0;

    /// <summary>Moves the cursor to the end of the line.</summary>
    public void End() => Cursor = _text.Length;

    /// <summary>Clears the line (Ctrl-U).</summary>
    public void Clear() => Replace("");

    /// <summary>Shows the previous line from the history (Up); what was being typed is kept for <see cref="Next"/>.</summary>
    public void Previous()
    {
        if (_historyIndex == 0)
        {
            return;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = Text;
        }

        Replace(_history[--_historyIndex]);
    }

    /// <summary>Shows the next line from the history (Down), and finally what was being typed.</summary>
    public void Next()
    {
        if (_historyIndex >= _history.Count)
        {
            return;
        }

        _historyIndex++;
        Replace(_historyIndex == _history.Count ? _draft : _history[_historyIndex]);
    }

    /// <summary>Returns the line, remembers it (unless empty or the same as the last one) and starts a new one.</summary>
    public string Submit()
    {
        var line = Text;
        if (line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line))
        {
            _history.Add(line);
            if (_history.Count > _historyLimit)
            {
                _history.RemoveAt(0);
            }
        }

        _historyIndex = _history.Count;
        _draft = "";
        Replace("");
        return line;
    }

    /// <summary>The part of prompt and line that fits in one terminal row of <paramref name="width"/> columns, and
    /// the column of the cursor in it. A longer line scrolls sideways instead of wrapping, so clearing one row
    /// always clears all of it.</summary>
    public (string Visible, int Column) Render(string prompt, int width)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var text = Display.Safe(Text);
        var room = Math.Max(1, width - 1 - prompt.Length);
        if (text.Length < room)
        {
            return (prompt + text, prompt.Length + Cursor);
        }

        // Keep the cursor in view, a little away from the right edge.
        var start = Math.Clamp(Cursor - (room * 3 / 4), 0, Math.Max(0, text.Length - room + 1));
        var visible = text.Substring(start, Math.Min(room, text.Length - start));
        return (prompt + visible, prompt.Length + Cursor - start);
    }

    private void Replace(string text)
    {
        _text.Clear().Append(text);
        Cursor = _text.Length;
    }
}
