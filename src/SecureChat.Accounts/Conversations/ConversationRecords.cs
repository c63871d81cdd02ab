namespace SecureChat.Accounts.Conversations;

/// <summary>A message to store: its thread (a room such as <c>#ops</c>, or a direct thread such as <c>@alice @bob</c>),
/// author, time, text, and the users it is still owed to.</summary>
public sealed record NewMessage(string Thread, string Author, long StoredMs, string Body, IReadOnlyList<string> PendingFor);

/// <summary>A stored message and the id the store gave it.</summary>
public sealed record StoredMessage(long Id, string Thread, string Author, long StoredMs, string Body);
