using System.Threading.Channels;
using SecureChat.Accounts;
using SecureChat.Accounts.Conversations;

namespace SecureChat.Server.Rooms;

/// <summary>Tells the store, in batches, which stored messages have reached their recipients, so that they are not
/// delivered again at the next login.</summary>
/// <remarks>The store is the record: a message stays pending for a user until a copy was written to one of that user's
/// sockets and this ledger has recorded it. A crash in between delivers it again, marked <c>delayed</c> (at least once);
/// the client shows an author message once per session.</remarks>
internal sealed class DeliveryLedger : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly IConversationStore _store;
    private readonly ILogger _log;
    private readonly Channel<(string User, IReadOnlyList<long> Ids)> _queue =
        Channel.CreateUnbounded<(string, IReadOnlyList<long>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public DeliveryLedger(IConversationStore store, ILogger log)
    {
        _store = store;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Records that copies of these stored messages were written to one of <paramref name="user"/>'s sessions.</summary>
    public void Delivered(string user, IReadOnlyList<long> ids) => _queue.Writer.TryWrite((user, ids));

    /// <summary>Records what is still queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var byUser = new Dictionary<string, HashSet<long>>(StringComparer.OrdinalIgnoreCase);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // A short pause gathers the deliveries of many sessions into one write per user.
            await Task.Delay(Interval).ConfigureAwait(false);
            byUser.Clear();
            while (_queue.Reader.TryRead(out var item))
            {
                if (!byUser.TryGetValue(item.User, out var ids))
                {
                    byUser[item.User] = ids = [];
                }

                ids.UnionWith(item.Ids);
            }

            foreach (var (user, ids) in byUser)
            {
                try
                {
                    await _store.MarkDeliveredAsync(user, ids).ConfigureAwait(false);
                }
                catch (UserStoreUnavailableException e)
                {
                    // Still pending in the store: delivered again (marked delayed) at the next login, never lost.
                    Log.DeliveryNotRecorded(_log, user, ids.Count, e.Message);
                }
            }
        }
    }
}
