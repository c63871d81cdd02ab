using System.Text;
using System.Text.RegularExpressions;

namespace SecureChat.Cli.Tests.Support;

/// <summary>Everything one stream of a child process has written so far, with a read position for expect-style
/// waits and a signal for each change.</summary>
internal sealed class OutputBuffer
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _consumed;
    private bool _completed;

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Adds a chunk of output and wakes the waiters.</summary>
    public void Append(ReadOnlySpan<char> chunk)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _text.Append(chunk);
            changed = SwapSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>Records that the stream reached its end and wakes the waiters.</summary>
    public void Complete()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _completed = true;
            changed = SwapSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>Looks for <paramref name="pattern"/> after the text earlier waits consumed; on success consumes up to
    /// the end of the match, so the next wait looks only at what comes after it.</summary>
    /// <param name="completed">Whether the stream has ended, so no later output can match.</param>
    /// <param name="changed">Completes at the next change, for a caller that has to wait.</param>
    public Match? TryConsume(Regex pattern, out bool completed, out Task changed)
    {
        lock (_gate)
        {
            completed = _completed;
            changed = _changed.Task;
            var match = pattern.Match(_text.ToString(), _consumed);
            if (!match.Success)
            {
                return null;
            }

            _consumed = match.Index + match.Length;
            return match;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Waiters take the task under the lock together with the text they looked at, so no change is missed.
    private TaskCompletionSource SwapSignal()
    {
        var previous = _changed;
        _changed = NewSignal();
        return previous;
    }
}
