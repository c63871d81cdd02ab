using System.Text;
using System.Threading.Channels;

namespace SecureChat.Cli.Interactive;

/// <summary>A one-line prompt that lets other output appear above the line being typed without garbling it.</summary>
/// <remarks>Keys are read on a dedicated thread; every write to the console happens under one lock, which
/// clears the input row, prints the new output and redraws the prompt with what was typed so far. The input
/// never wraps (<see cref="LineBuffer.Render"/>), so clearing one row clears all of it. Ctrl-C arrives as a key
/// (<see cref="Interrupts"/>) instead of killing the process, so the session can still end with receipts.</remarks>
internal sealed class LineEditor : IDisposable
{
    private readonly Lock _console = new();
    private readonly LineBuffer _buffer = new();
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();
    private string _prompt;
    private readonly Thread _reader;
    private readonly bool _treatedControlCAsInput;
    private volatile bool _stopped;
    private bool _started;
    private int _interrupts;

    public LineEditor(string prompt)
    {
        _prompt = prompt;
        _reader = new Thread(ReadKeys) { IsBackground = true, Name = "securechat-keys" };
        _treatedControlCAsInput = Console.TreatControlCAsInput;
    }

    /// <summary>Raised on every Ctrl-C with the number of Ctrl-Cs so far: the first ends input, a later one forces.</summary>
    public event Action<int>? Interrupts;

    /// <summary>Whether <see cref="Stop"/> was called: no prompt is drawn and no more lines are taken.</summary>
    public bool Stopped => _stopped;

    /// <summary>Starts reading keys and draws the prompt.</summary>
    public void Start()
    {
        Console.TreatControlCAsInput = true;
        lock (_console)
        {
            _started = true;
            Redraw();
        }

        _reader.Start();
    }

    /// <summary>Completes with true when a line (or the end of input) is waiting to be taken with <see cref="TryReadLine"/>,
    /// false once the editor is stopped. It takes nothing, so a wait given up for something else loses no line.</summary>
    public Task<bool> WaitForLineAsync(CancellationToken cancellationToken) => _lines.Reader.WaitToReadAsync(cancellationToken).AsTask();

    /// <summary>Takes the next line typed, if there is one: the text, or null at end of input (Ctrl-D on an empty line, Ctrl-C).</summary>
    public bool TryReadLine(out string? line) => _lines.Reader.TryRead(out line);

    /// <summary>Changes the prompt (it names the current conversation) and redraws the line.</summary>
    public void SetPrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        lock (_console)
        {
            if (prompt == _prompt)
            {
                return;
            }

            _prompt = prompt;
            if (_started && !_stopped)
            {
                Redraw();
            }
        }
    }

    /// <summary>Prints a line above the prompt and redraws what is being typed.</summary>
    public void WriteAbove(string text)
    {
        lock (_console)
        {
            Console.Write("\r\u001b[2K");
            Console.WriteLine(text);
            if (!_stopped)
            {
                Redraw();
            }
        }
    }

    /// <summary>Stops drawing the prompt (key reading goes on so that a second Ctrl-C still forces).</summary>
    public void Stop()
    {
        lock (_console)
        {
            _stopped = true;
            Console.Write("\r\u001b[2K");
        }

        _lines.Writer.TryComplete();
    }

    public void Dispose()
    {
        Stop();
        Console.TreatControlCAsInput = _treatedControlCAsInput;
    }

    private void Redraw()
    {
        var width = Console.IsOutputRedirected ? 80 : Math.Max(Console.WindowWidth, 10);
        var (visible, column) = _buffer.Render(_prompt, width);
        Console.Write($"\r\u001b[2K{visible}\r");
        if (column > 0)
        {
            Console.Write($"\u001b[{column}C");
        }
    }

    private void ReadKeys()
    {
        while (true)
        {
            ConsoleKeyInfo key;
            try
            {
                key = Console.ReadKey(intercept: true);
            }
            catch (InvalidOperationException)
            {
                _lines.Writer.TryWrite(null);
                return;
            }

            if (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control))
            {
                _lines.Writer.TryWrite(null);
                Interrupts?.Invoke(Interlocked.Increment(ref _interrupts));
                continue;
            }

            lock (_console)
            {
                if (!_stopped && Apply(key))
                {
                    Redraw();
                }
            }
        }
    }

    /// <summary>Applies one key to the line; true when the line must be redrawn.</summary>
    private bool Apply(ConsoleKeyInfo key)
    {
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                _lines.Writer.TryWrite(_buffer.Submit());
                return true;
            case ConsoleKey.D when control:
                if (_buffer.IsEmpty)
                {
                    _lines.Writer.TryWrite(null);
                    return false;
                }

                _buffer.DeleteForward();
                return true;
            case ConsoleKey.Backspace:
                _buffer.DeleteBackward();
                return true;
            case ConsoleKey.Delete:
                _buffer.DeleteForward();
                return true;
            case ConsoleKey.LeftArrow:
            case ConsoleKey.B when control:
                _buffer.Left();
                return true;
            case ConsoleKey.RightArrow:
            case ConsoleKey.F when control:
                _buffer.Right();
                return true;
            case ConsoleKey.Home:
            case ConsoleKey.A when control:
                _buffer.Home();
                return true;
            case ConsoleKey.End:
            case ConsoleKey.E when control:
                _buffer.End();
                return true;
            case ConsoleKey.UpArrow:
            case ConsoleKey.P when control:
                _buffer.Previous();
                return true;
            case ConsoleKey.DownArrow:
            case ConsoleKey.N when control:
                _buffer.Next();
                return true;
            case ConsoleKey.U when control:
                _buffer.Clear();
                return true;
            default:
                if (char.IsControl(key.KeyChar) || key.KeyChar == '\0')
                {
                    return false;
                }

                _buffer.Insert(key.KeyChar);
                return true;
        }
    }

    /// <summary>Reads a line at a prompt before the chat starts, without echo for a secret; null at end of input
    /// (Ctrl-D on an empty line).</summary>
    public static string? ReadPrompt(string prompt, bool secret = false)
    {
        Console.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key;
            try
            {
                key = Console.ReadKey(intercept: true);
            }
            catch (InvalidOperationException)
            {
                return null;
            }

            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.D && key.Modifiers.HasFlag(ConsoleModifiers.Control) && text.Length == 0)
            {
                Console.WriteLine();
                return null;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                    if (!secret)
                    {
                        Console.Write("\b \b");
                    }
                }
            }
            else if (!char.IsControl(key.KeyChar) && key.KeyChar != '\0')
            {
                text.Append(key.KeyChar);
                if (!secret)
                {
                    Console.Write(key.KeyChar);
                }
            }
        }
    }

    /// <summary>Reads a secret without echoing it; null at end of input.</summary>
    public static string? ReadSecret(string prompt) => ReadPrompt(prompt, secret: true);
}
