namespace SecureChat.Accounts.Conversations;

/// <summary>Persistent rooms, memberships, stored messages and the deliveries still owed to offline users.</summary>
/// <remarks>
/// Names (rooms, usernames, threads) are compared exactly, case included, by both backends; limits are in
/// <see cref="ConversationLimits"/>. Arguments are checked before the database is touched. Every database failure
/// (server down, timeout, broken connection, locked file) surfaces as <see cref="UserStoreUnavailableException"/>; the
/// store recovers by itself when the database is back. Implementations are safe for concurrent use, also by several
/// processes sharing one database.
/// </remarks>
public interface IConversationStore
{
    /// <summary>Creates its tables, or migrates them to the current schema version; idempotent, and safe when several servers start at once.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="username"/> to <paramref name="room"/>, creating the room on first join.</summary>
    /// <returns><see langword="true"/> when newly a member, <see langword="false"/> when already one.</returns>
    Task<bool> JoinAsync(string room, string username, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>Removes the membership; a room with no members stays (it keeps its history).</summary>
    /// <returns><see langword="true"/> when <paramref name="username"/> was a member.</returns>
    Task<bool> LeaveAsync(string room, string username, CancellationToken cancellationToken = default);

    /// <summary>Whether the room was ever created (by a join).</summary>
    Task<bool> RoomExistsAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>The rooms <paramref name="username"/> is a member of, ordinal-sorted.</summary>
    Task<IReadOnlyList<string>> RoomsOfAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The members of <paramref name="room"/>, ordinal-sorted (empty when there is no such room).</summary>
    Task<IReadOnlyList<string>> MembersOfAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Stores every message and its pending-delivery rows (one per distinct name in <see cref="NewMessage.PendingFor"/>)
    /// in one transaction, durable when the call returns.</summary>
    /// <returns>The new ids, in the order of <paramref name="messages"/>; ids are strictly increasing in commit order.</returns>
    Task<IReadOnlyList<long>> StoreAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Deletes the pending rows of <paramref name="username"/> for these message ids; ids with no row are ignored.</summary>
    Task MarkDeliveredAsync(string username, IReadOnlyCollection<long> messageIds, CancellationToken cancellationToken = default);

    /// <summary>The messages still pending for <paramref name="username"/>, oldest (lowest id) first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredMessage>> PendingAsync(string username, int limit, CancellationToken cancellationToken = default);

    /// <summary>The stored messages with these ids, lowest id first; ids with no message (never stored, or purged) are left out.</summary>
    /// <remarks>At most <see cref="ConversationLimits.MaxIdsPerRead"/> ids per call.</remarks>
    Task<IReadOnlyList<StoredMessage>> MessagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> messages of <paramref name="thread"/>, returned oldest first.</summary>
    Task<IReadOnlyList<StoredMessage>> HistoryAsync(string thread, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the messages stored before <paramref name="olderThanMs"/> and their pending rows.</summary>
    /// <returns>How many messages were deleted.</returns>
    Task<int> PurgeAsync(long olderThanMs, CancellationToken cancellationToken = default);
}
