namespace SecureChat.Accounts.Conversations;

/// <summary>Placeholder of the conversation store interface (replaced by the real store).</summary>
public interface IConversationStore
{
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    Task<bool> JoinAsync(string room, string username, long nowMs, CancellationToken cancellationToken = default);

    Task<bool> LeaveAsync(string room, string username, CancellationToken cancellationToken = default);

    Task<bool> RoomExistsAsync(string room, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> RoomsOfAsync(string username, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> MembersOfAsync(string room, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<long>> StoreAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(string username, IReadOnlyCollection<long> messageIds, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredMessage>> PendingAsync(string username, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredMessage>> HistoryAsync(string thread, int limit, CancellationToken cancellationToken = default);

    Task<int> PurgeAsync(long olderThanMs, CancellationToken cancellationToken = default);
}

public sealed record NewMessage(string Thread, string Author, long StoredMs, string Body, IReadOnlyList<string> PendingFor);

public sealed record StoredMessage(long Id, string Thread, string Author, long StoredMs, string Body);

public static class ConversationStoreFactory
{
    public static IConversationStore Create(string db, UserStoreOptions? options = null) => throw new NotSupportedException(db + options);
}
