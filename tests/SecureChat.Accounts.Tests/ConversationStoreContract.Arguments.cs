using SecureChat.Accounts.Conversations;
using SecureChat.Accounts.Tests.Infrastructure;

namespace SecureChat.Accounts.Tests;

/// <summary>Argument checks, made before any database access: the store under test cannot reach its database, so a
/// check that came too late would show as <see cref="UserStoreUnavailableException"/> instead.</summary>
public abstract partial class ConversationStoreContract
{
    private static readonly string LongRoom = new('r', ConversationLimits.MaxRoomLength + 1);
    private static readonly string LongUser = new('u', ConversationLimits.MaxUsernameLength + 1);
    private static readonly string LongThread = new('t', ConversationLimits.MaxThreadLength + 1);

    // Keyed by a description: xunit would replace an unpaired surrogate in theory data while serialising it.
    private static readonly Dictionary<string, string?> BadNameCases = new()
    {
        ["null"] = null,
        ["empty"] = "",
        ["blank"] = "   ",
        ["trailing space"] = "#ops ",
        ["control character"] = "#o\nps",
        ["unpaired high surrogate"] = "#ops\uD800",
        ["unpaired low surrogate"] = "\uDC00#ops",
    };

    /// <summary>Names every method refuses.</summary>
    public static TheoryData<string> BadNames => [.. BadNameCases.Keys];

    [BackendTheory]
    [MemberData(nameof(BadNames))]
    public async Task Bad_names_are_refused_before_the_database_is_touched(string badName)
    {
        var store = OpenUnreachableStore();
        var bad = BadNameCases[badName]!;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.JoinAsync(bad, "alice", 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.JoinAsync("#ops", bad, 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LeaveAsync(bad, "alice"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LeaveAsync("#ops", bad));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RoomExistsAsync(bad));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RoomsOfAsync(bad));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.MembersOfAsync(bad));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.MarkDeliveredAsync(bad, [1]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PendingAsync(bad, 5));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.HistoryAsync(bad, 5));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([Message(bad, "alice", 1, "x")]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([Message("#ops", bad, 1, "x")]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([Message("#ops", "alice", 1, "x", "bob", bad)]));
    }

    [BackendFact]
    public async Task Names_longer_than_their_limits_are_refused_before_the_database_is_touched()
    {
        var store = OpenUnreachableStore();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.JoinAsync(LongRoom, "alice", 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.JoinAsync("#ops", LongUser, 1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LeaveAsync(LongRoom, "alice"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RoomExistsAsync(LongRoom));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RoomsOfAsync(LongUser));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.MembersOfAsync(LongRoom));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.MarkDeliveredAsync(LongUser, [1]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PendingAsync(LongUser, 5));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.HistoryAsync(LongThread, 5));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([Message(LongThread, "alice", 1, "x")]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([Message("#ops", LongUser, 1, "x")]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([Message("#ops", "alice", 1, "x", LongUser)]));
    }

    [BackendFact]
    public async Task Bad_messages_bodies_lists_and_limits_are_refused_before_the_database_is_touched()
    {
        var store = OpenUnreachableStore();
        var good = Message("#ops", "alice", 1, "fine", "bob");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([good, null!]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([good, good with { Body = null! }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([good, good with { PendingFor = null! }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([good with { Body = new string('x', ConversationLimits.MaxBodyBytes + 1) }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([good with { Body = new string('é', ConversationLimits.MaxBodyBytes / 2 + 1) }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.StoreAsync([good with { Body = "half a pair \uD83D" }]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.MarkDeliveredAsync("bob", null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PendingAsync("bob", 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PendingAsync("bob", -1));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.HistoryAsync("#ops", 0));

        // The same store does reach for its database once the arguments are right.
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.StoreAsync([good])));
        await Bounded(Assert.ThrowsAsync<UserStoreUnavailableException>(() => store.HistoryAsync("#ops", 5)));
    }
}
