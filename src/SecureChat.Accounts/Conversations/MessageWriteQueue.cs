namespace SecureChat.Accounts.Conversations;

/// <summary>One <see cref="IConversationStore.StoreAsync"/> call waiting for its transaction.</summary>
internal sealed class PendingWrite(IReadOnlyList<NewMessage> messages, int[] bodyBytes, IReadOnlyList<string>[] recipients)
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;
    private int _state;

    public IReadOnlyList<NewMessage> Messages { get; } = messages;

    /// <summary>The UTF-8 length of each message's body.</summary>
    public int[] BodyBytes { get; } = bodyBytes;

    /// <summary>Each message's distinct pending recipients.</summary>
    public IReadOnlyList<string>[] Recipients { get; } = recipients;

    public long TotalBodyBytes { get; } = bodyBytes.Sum(b => (long)b);

    /// <summary>The ids given to <see cref="Messages"/>, set by the writer.</summary>
    public long[] Ids { get; } = new long[messages.Count];

    public TaskCompletionSource<IReadOnlyList<long>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes the write into a batch, unless its caller cancelled first; once claimed, it is written.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>Cancels the write, unless a batch already claimed it.</summary>
    public void TryCancel(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            Completion.TrySetCanceled(cancellationToken);
        }
    }
}

/// <summary>Group commit: concurrent <see cref="IConversationStore.StoreAsync"/> calls queue here, and one writer at a time
/// stores everything queued in one transaction, so many small calls share one commit (and one disk flush).</summary>
/// <remarks>
/// Each call's messages still commit together or not at all, and a batch keeps the calls' order, so ids stay
/// increasing in commit order. The writer runs only while there is work; no thread waits while the queue is empty.
/// <paramref name="idleAsync"/> runs each time the writer finds the queue empty, before it stops (to release what the
/// writes reused); batches and that call never overlap.
/// </remarks>
internal sealed class MessageWriteQueue(Func<IReadOnlyList<PendingWrite>, Task> writeBatchAsync, Func<Task> idleAsync)
{
    /// <summary>Most messages in one batch (a single larger call still goes alone).</summary>
    internal const int MaxBatchMessages = 2000;

    /// <summary>Most body bytes in one batch (a single larger call still goes alone).</summary>
    internal const long MaxBatchBodyBytes = 16L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<PendingWrite> _queue = new();
    private bool _writing;

    /// <summary>How many calls wait for a batch to claim them.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues the write and waits for its transaction; a cancellation counts only until a batch claims it.</summary>
    public async Task<IReadOnlyList<long>> WriteAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(write);
            start = !_writing;
            _writing = true;
        }

        if (start)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        using var registration = cancellationToken.Register(static (state, token) => ((PendingWrite)state!).TryCancel(token), write);
        return await write.Completion.Task.ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            if (TakeBatch() is not { } batch)
            {
                try
                {
                    await idleAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Releasing is best effort; the writer must stop cleanly whatever happens here.
                }

                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _writing = false;
                        return;
                    }
                }

                continue;
            }

            try
            {
                await writeBatchAsync(batch).ConfigureAwait(false);
                foreach (var write in batch)
                {
                    write.Completion.TrySetResult(write.Ids);
                }
            }
            catch (Exception e)
            {
                foreach (var write in batch)
                {
                    // Each caller gets its own exception object: one rethrown by several awaits at once would have
                    // its stack trace written concurrently.
                    write.Completion.TrySetException(e is UserStoreUnavailableException ? new UserStoreUnavailableException(e.Message, e.InnerException ?? e) : e);
                }
            }
        }
    }

    /// <summary>Takes the queued writes that fit one batch, or returns null when nothing is queued.</summary>
    private List<PendingWrite>? TakeBatch()
    {
        lock (_gate)
        {
            var batch = new List<PendingWrite>();
            var messages = 0L;
            var bytes = 0L;
            while (_queue.TryPeek(out var next))
            {
                if (batch.Count > 0 && (messages + next.Messages.Count > MaxBatchMessages || bytes + next.TotalBodyBytes > MaxBatchBodyBytes))
                {
                    break;
                }

                _queue.Dequeue();
                if (next.TryClaim())
                {
                    batch.Add(next);
                    messages += next.Messages.Count;
                    bytes += next.TotalBodyBytes;
                }
            }

            return batch.Count == 0 ? null : batch;
        }
    }
}
