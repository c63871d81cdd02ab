using System.Collections.ObjectModel;
using SecureChat.Cli.Interactive;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace SecureChat.Cli.Tui;

/// <summary>The full-screen chat: the conversation list on the left (Tab moves there, Up and Down pick a conversation,
/// Enter goes back to the input line), the scrollback of the current conversation, the input line and the status
/// line. It renders a <see cref="ChatScreenModel"/> and reports what the person does; it never talks to the server.</summary>
internal sealed class ChatScreen : Runnable
{
    /// <summary>Width of the conversation list, borders included.</summary>
    public const int ConversationsWidth = 16;

    private const string Prompt = "> ";

    private readonly ChatScreenModel _model;
    private readonly InputHistory _history = new();
    private ObservableCollection<string> _rows = [];
    private ObservableCollection<string> _labels = [];
    private IReadOnlyList<string> _names = [];
    private bool _syncing;
    private readonly ListView _conversations;
    private readonly FrameView _conversationFrame;
    private readonly FrameView _scrollbackFrame;
    private readonly ListView _scrollback;
    private readonly TextField _input;
    private readonly Label _status;
    private int _wrapWidth = -1;
    private string? _shown;

    /// <summary>Builds the views for <paramref name="model"/> and follows its changes.</summary>
    public ChatScreen(ChatScreenModel model)
    {
        _model = model;
        Width = Dim.Fill();
        Height = Dim.Fill();

        _scrollback = new ListView { Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
        _scrollback.SetSource(_rows);
        _scrollback.ViewportChanged += (_, _) => Rewrap(force: false);
        _scrollbackFrame = new FrameView { Title = "", X = ConversationsWidth, Width = Dim.Fill(), Height = Dim.Fill(2), CanFocus = false };
        _scrollbackFrame.Add(_scrollback);

        var prompt = new Label { Text = Prompt, Y = Pos.AnchorEnd(2) };
        _input = new TextField { X = Prompt.Length, Y = Pos.AnchorEnd(2), Width = Dim.Fill() };
        _input.KeyDown += OnKey;
        _input.Accepting += (_, e) =>
        {
            e.Handled = true;
            Submit();
        };
        _status = new Label { Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = model.Status };

        _conversations = new ListView { Width = Dim.Fill(), Height = Dim.Fill() };
        _conversations.ValueChanged += (_, e) => Pick(e.NewValue);
        _conversations.Accepting += (_, e) =>
        {
            e.Handled = true;
            _input.SetFocus();
        };
        _conversations.KeyDown += OnKey;
        _conversationFrame = new FrameView { Title = "chats", Width = ConversationsWidth, Height = Dim.Fill(2) };
        _conversationFrame.Add(_conversations);

        Add(_conversationFrame, _scrollbackFrame, prompt, _input, _status);
        _model.Changed += Refresh;
        Refresh();
        _input.SetFocus();
    }

    /// <summary>A line was entered (Enter); it is already in the history and cleared from the input.</summary>
    public event Action<string>? LineEntered;

    /// <summary>Ctrl-C, or Ctrl-D on an empty line: the person wants to leave.</summary>
    public event Action? QuitRequested;

    /// <summary>The input line's text.</summary>
    public string InputText => _input.Text;

    /// <summary>The scrollback as shown, wrapped to its width, oldest first.</summary>
    public IReadOnlyList<string> Rows => _rows;

    /// <summary>Index of the first scrollback row in view.</summary>
    public int FirstVisibleRow => _scrollback.Viewport.Y;

    /// <summary>The input line view (for layout checks).</summary>
    public View Input => _input;

    /// <summary>The status line view (for layout checks).</summary>
    public View StatusLine => _status;

    /// <summary>The conversation list as shown: each name with its unread count.</summary>
    public IReadOnlyList<string> ConversationLabels => _labels;

    /// <summary>The conversation list view (for focus checks).</summary>
    public View ConversationList => _conversations;

    /// <summary>The title of the scrollback: the current conversation.</summary>
    public string ScrollbackTitle => _scrollbackFrame.Title;

    /// <summary>Inserts pasted text at the cursor; line breaks become spaces, so a paste never sends by itself.</summary>
    public void InsertPasted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var flat = text.ReplaceLineEndings(" ").Replace('\t', ' ');
        _input.InsertText(Display.Safe(flat));
    }

    /// <summary>Splits <paramref name="line"/> into rows of at most <paramref name="width"/> characters, breaking at
    /// a space where one is near the end of the row; continuation rows are indented.</summary>
    public static IEnumerable<string> Wrap(string line, int width)
    {
        ArgumentNullException.ThrowIfNull(line);
        const string indent = "      ";
        if (width <= indent.Length + 4 || line.Length <= width)
        {
            yield return line;
            yield break;
        }

        var rest = line;
        var first = true;
        while (rest.Length > 0)
        {
            var room = first ? width : width - indent.Length;
            var prefix = first ? "" : indent;
            if (rest.Length <= room)
            {
                yield return prefix + rest;
                yield break;
            }

            var cut = rest.LastIndexOf(' ', room - 1, Math.Min(room, 20));
            cut = cut > 0 ? cut : room;
            yield return prefix + rest[..cut];
            rest = rest[cut..].TrimStart(' ');
            first = false;
        }
    }

    private void Submit()
    {
        var line = _input.Text;
        _history.Add(line);
        _input.Text = "";
        LineEntered?.Invoke(line);
    }

    private void OnKey(object? sender, Key key)
    {
        if (sender != _input)
        {
            if (key == Key.C.WithCtrl)
            {
                QuitRequested?.Invoke();
                key.Handled = true;
            }
            else if (key == Key.Esc || key == Key.Tab || key == Key.Tab.WithShift)
            {
                // Esc would stop the application without receipts: like Tab, it goes back to the input line.
                _input.SetFocus();
                key.Handled = true;
            }

            return;
        }

        if (key == Key.Tab || key == Key.Tab.WithShift)
        {
            _conversations.SetFocus();
        }
        else if (key == Key.CursorUp || key == Key.CursorDown)
        {
            var recalled = key == Key.CursorUp ? _history.Previous(_input.Text) : _history.Next();
            if (recalled is not null)
            {
                _input.Text = recalled;
                _input.MoveEnd();
            }
        }
        else if (key == Key.PageUp || key == Key.PageDown)
        {
            Page(key == Key.PageUp ? -1 : 1);
        }
        else if (key == Key.C.WithCtrl || (key == Key.D.WithCtrl && _input.Text.Length == 0))
        {
            QuitRequested?.Invoke();
        }
        else if (key != Key.Esc)
        {
            return;
        }

        // Esc would stop the application without receipts: it does nothing here.
        key.Handled = true;
    }

    private void Page(int direction)
    {
        var height = Math.Max(1, _scrollback.Viewport.Height);
        var top = Math.Clamp(_scrollback.Viewport.Y + (direction * (height - 1)), 0, Math.Max(0, _rows.Count - height));
        _scrollback.Viewport = _scrollback.Viewport with { Y = top };
    }

    /// <summary>A conversation was picked in the list: it becomes current.</summary>
    private void Pick(int? index)
    {
        if (!_syncing && index is { } i && i >= 0 && i < _names.Count && _names[i] != _model.Current)
        {
            _model.Open(_names[i]);
        }
    }

    private void Refresh()
    {
        _syncing = true;
        try
        {
            _names = _model.ConversationList;
            var labels = _names.Select(_model.Label).ToList();
            if (!labels.SequenceEqual(_labels))
            {
                _labels = new ObservableCollection<string>(labels);
                _conversations.SetSource(_labels);
            }

            var current = IndexOf(_names, _model.Current);
            if (_conversations.SelectedItem != current)
            {
                _conversations.SelectedItem = current;
            }
        }
        finally
        {
            _syncing = false;
        }

        _scrollbackFrame.Title = Display.Safe(_model.Current);
        Rewrap(force: true);
        _status.Text = _model.Status;
    }

    private static int? IndexOf(IReadOnlyList<string> names, string conversation)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], conversation, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    private void Rewrap(bool force)
    {
        var width = _scrollback.Viewport.Width;
        if (!force && width == _wrapWidth)
        {
            return;
        }

        var height = Math.Max(1, _scrollback.Viewport.Height);
        // Another conversation opens at its newest line.
        var following = _scrollback.Viewport.Y + height >= _rows.Count || _shown != _model.Current;
        _shown = _model.Current;
        _wrapWidth = width;
        var rows = _model.Entries.SelectMany(e => Wrap(ChatScreenModel.Format(e), width > 0 ? width : int.MaxValue)).ToList();
        _rows = new ObservableCollection<string>(rows);
        _scrollback.SetSource(_rows);
        if (following)
        {
            _scrollback.SetContentSize(new System.Drawing.Size(Math.Max(1, width), _rows.Count));
            _scrollback.Viewport = _scrollback.Viewport with { Y = Math.Max(0, _rows.Count - height) };
        }

        _scrollback.SetNeedsDraw();
    }
}
