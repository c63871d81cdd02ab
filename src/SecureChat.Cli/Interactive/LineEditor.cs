using System.Text;
using System.Threading.Channels;

namespace SecureChat.Cli.Interactive;

/// <summary>A one-line prompt that lets other output appear above the line being typed without garbling it.</summary>
/// <remarks>Keys are read on a dedicated thread; every write to the console happens under one lock, which
/// clears the input line, prints the new output and redraws the prompt with what was typed so far.</remarks>
internal sealed class LineEditor : IDisposable
{
    private readonly Lock _console = new();
    private readonly StringBuilder _buffer = new();
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();
    private readonly string _prompt;
    private readonly Thread _reader;
    private volatile bool _stopped;

    public LineEditor(string prompt)
    {
        _prompt = prompt;
        _reader = new Thread(ReadKeys) { IsBackground = true, Name = "securechat-keys" };
    }

    /// <summary>Starts reading keys and draws the prompt.</summary>
    public void Start()
    {
        lock (_console)
        {
            Console.Write(_prompt);
        }

        _reader.Start();
    }

    /// <summary>The next line typed, or null at end of input (Ctrl-D on an empty line, Ctrl-C).</summary>
    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => _lines.Reader.ReadAsync(cancellationToken);

    /// <summary>Prints a line above the prompt and redraws what is being typed.</summary>
    public void WriteAbove(string text)
    {
        lock (_console)
        {
            Console.Write("\r\u001b[2K");
            Console.WriteLine(text);
            if (!_stopped)
            {
                Console.Write(_prompt);
                Console.Write(_buffer.ToString());
            }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _lines.Writer.TryComplete();
    }

    private void ReadKeys()
    {
        while (!_stopped)
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

            lock (_console)
            {
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        var line = _buffer.ToString();
                        _buffer.Clear();
                        Console.Write("\r\u001b[2K");
                        Console.Write(_prompt);
                        _lines.Writer.TryWrite(line);
                        break;
                    case ConsoleKey.Backspace when _buffer.Length > 0:
                        _buffer.Length--;
                        Console.Write("\b \b");
                        break;
                    case ConsoleKey.C or ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                        if (key.Key == ConsoleKey.C || _buffer.Length == 0)
                        {
                            _lines.Writer.TryWrite(null);
                        }

                        break;
                    default:
                        if (!char.IsControl(key.KeyChar))
                        {
                            _buffer.Append(key.KeyChar);
                            Console.Write(key.KeyChar);
                        }

                        break;
                }
            }
        }
    }

    /// <summary>Reads a secret without echoing it.</summary>
    public static string ReadSecret(string prompt)
    {
        Console.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
