using System.Runtime.ExceptionServices;

namespace SecureChat.Evidence.Audit;

/// <summary>Checks chunks of lines on several threads while the calling thread judges the finished chunks in order.</summary>
/// <remarks>The checks of a line (parse, signature) need no other line and are nearly all of the cost; the
/// judgement (seqnos, chain, receipts) must run in file order. Background workers claim chunks in ascending order;
/// the calling thread judges chunk k as soon as it is finished and, while it waits, checks the next unclaimed chunk
/// itself, so no core idles and with no background worker it is the plain sequential loop: check a chunk, judge it.
/// Workers stay at most <c>window</c> chunks ahead of the judgement, which bounds what is held besides the file.</remarks>
internal sealed class OrderedChunks
{
    private readonly object _gate = new();
    private readonly bool[] _done;
    private readonly int _window;
    private int _nextToClaim;
    private int _judged;
    private int _claimLimit;
    private bool _stopped;
    private ExceptionDispatchInfo? _error;

    private OrderedChunks(int chunks, int window)
    {
        _done = new bool[chunks];
        _window = window;
        _claimLimit = chunks;
    }

    /// <summary>Runs <paramref name="check"/> over every chunk and <paramref name="judge"/> over them in order on the
    /// calling thread, until <paramref name="judge"/> returns false.</summary>
    /// <param name="chunks">Number of chunks.</param>
    /// <param name="workers">Background threads besides the calling one (0 for the sequential loop).</param>
    /// <param name="createState">Per-thread state of <paramref name="check"/> (its verification keys).</param>
    /// <param name="check">Checks a chunk; returns false when nothing after it can be judged, so later chunks are skipped.</param>
    /// <param name="judge">Judges a checked chunk; returns false to stop.</param>
    /// <returns>Whether every chunk was judged and none returned false.</returns>
    public static bool Run<TState>(int chunks, int workers, Func<TState> createState, Func<TState, int, bool> check, Func<int, bool> judge)
        where TState : IDisposable
    {
        var run = new OrderedChunks(chunks, Math.Max(2, 4 * (workers + 1)));
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = Task.Run(() => run.Work(createState, check));
        }

        try
        {
            using var state = createState();
            return run.JudgeInOrder(state, check, judge);
        }
        finally
        {
            lock (run._gate)
            {
                run._stopped = true;
                Monitor.PulseAll(run._gate);
            }

            Task.WaitAll(tasks);
        }
    }

    private bool JudgeInOrder<TState>(TState state, Func<TState, int, bool> check, Func<int, bool> judge)
    {
        for (var k = 0; k < _done.Length; k++)
        {
            while (true)
            {
                int claimed;
                lock (_gate)
                {
                    _error?.Throw();
                    if (_done[k])
                    {
                        break;
                    }

                    // The chunk being judged is always claimable here, so this thread never waits on work nobody does.
                    if (_nextToClaim < _done.Length
                        && (_nextToClaim == k || (_nextToClaim < _claimLimit && _nextToClaim < _judged + _window)))
                    {
                        claimed = _nextToClaim++;
                    }
                    else
                    {
                        Monitor.Wait(_gate);
                        continue;
                    }
                }

                Checked(claimed, check(state, claimed));
            }

            if (!judge(k))
            {
                return false;
            }

            lock (_gate)
            {
                _judged = k + 1;
                Monitor.PulseAll(_gate);
            }
        }

        return true;
    }

    private void Work<TState>(Func<TState> createState, Func<TState, int, bool> check)
        where TState : IDisposable
    {
        try
        {
            using var state = createState();
            while (true)
            {
                int claimed;
                lock (_gate)
                {
                    while (!_stopped && _nextToClaim < _claimLimit && _nextToClaim >= _judged + _window)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_stopped || _nextToClaim >= _claimLimit)
                    {
                        return;
                    }

                    claimed = _nextToClaim++;
                }

                Checked(claimed, check(state, claimed));
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _error ??= ExceptionDispatchInfo.Capture(e);
                _stopped = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Checked(int chunk, bool continues)
    {
        lock (_gate)
        {
            _done[chunk] = true;
            if (!continues)
            {
                _claimLimit = Math.Min(_claimLimit, chunk + 1);
            }

            Monitor.PulseAll(_gate);
        }
    }
}
