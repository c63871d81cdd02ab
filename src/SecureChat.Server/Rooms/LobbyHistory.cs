using System.Threading.Channels;
using SecureChat.Accounts;
using SecureChat.Accounts.Conversations;

namespace SecureChat.Server.Rooms;

/// <summary>Keeps the shared room's messages for history, behind the live relay.</summary>
/// <remarks><c>#lobby</c> is version 1's live room: nothing is kept there for absent users, so its messages are relayed
/// at once and written afterwards, in batches, for history only. A database that is down or slow therefore never holds
/// up the lobby (the sessions go on chatting, as they always did); what could not be written is missing from its
/// history, and the log says how much.</remarks>
internal sealed class LobbyHistory : IAsyncDisposable
{
    private const int Capacity = 10_000;
    private const int MaxBatch = 256;
    private readonly IConversationStore _store;
    private readonly ILogger _log;
    private readonly Channel<NewMessage> _queue = Channel.CreateBounded<NewMessage>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private readonly Task _loop;

    public LobbyHistory(IConversationStore store, ILogger log)
    {
        _store = store;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues one lobby message for the history; false when the queue is full (the store is far behind).</summary>
    public bool Keep(NewMessage message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        Log.LobbyHistoryDropped(_log, 1, "the history queue is full");
        return false;
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<NewMessage>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            try
            {
                await _store.StoreAsync(batch).ConfigureAwait(false);
            }
            catch (UserStoreUnavailableException e)
            {
                Log.LobbyHistoryDropped(_log, batch.Count, e.Message);
            }
        }
    }
}
