namespace SecureChat.Accounts.Conversations;

/// <summary>Rooms and memberships.</summary>
public abstract partial class SqlConversationStore
{
    /// <inheritdoc />
    public Task<bool> JoinAsync(string room, string username, long nowMs, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(room, ConversationLimits.MaxRoomLength, nameof(room));
        ConversationLimits.CheckName(username, ConversationLimits.MaxUsernameLength, nameof(username));
        return RunAsync("add the room member", async (connection, ct) =>
        {
            // No transaction needed: a room left without its first member is a valid state (an empty room), and the
            // primary keys, not a prior SELECT, decide who created the room and whether the member is new.
            await ExecuteAsync(connection, null, InsertIfAbsentSql(RoomsTable, "name, created_ms", "@room, @now"), ct,
                ("@room", room), ("@now", nowMs)).ConfigureAwait(false);
            var added = await ExecuteAsync(connection, null, InsertIfAbsentSql(MembersTable, "room, username, joined_ms", "@room, @username, @now"), ct,
                ("@room", room), ("@username", username), ("@now", nowMs)).ConfigureAwait(false);
            return added > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> LeaveAsync(string room, string username, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(room, ConversationLimits.MaxRoomLength, nameof(room));
        ConversationLimits.CheckName(username, ConversationLimits.MaxUsernameLength, nameof(username));
        return RunAsync("remove the room member", async (connection, ct) =>
            await ExecuteAsync(connection, null, $"DELETE FROM {MembersTable} WHERE room = @room AND username = @username", ct,
                ("@room", room), ("@username", username)).ConfigureAwait(false) > 0, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RoomExistsAsync(string room, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(room, ConversationLimits.MaxRoomLength, nameof(room));
        return RunAsync("look up the room", async (connection, ct) =>
            await ScalarAsync(connection, null, $"SELECT 1 FROM {RoomsTable} WHERE name = @room", ct, ("@room", room)).ConfigureAwait(false) is not null,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> RoomsOfAsync(string username, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(username, ConversationLimits.MaxUsernameLength, nameof(username));
        return ReadNamesAsync("list the user's rooms", $"SELECT room FROM {MembersTable} WHERE username = @value", username, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> MembersOfAsync(string room, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(room, ConversationLimits.MaxRoomLength, nameof(room));
        return ReadNamesAsync("list the room's members", $"SELECT username FROM {MembersTable} WHERE room = @value", room, cancellationToken);
    }

    private Task<IReadOnlyList<string>> ReadNamesAsync(string action, string sql, string value, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<string>>(action, async (connection, ct) =>
        {
            var names = new List<string>();
            var command = CreateCommand(connection, null, sql, ("@value", value));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        names.Add(reader.GetString(0));
                    }
                }
            }

            // Sorted here, not by ORDER BY, so the order is .NET's ordinal one whatever the database's collation.
            names.Sort(StringComparer.Ordinal);
            return names;
        }, cancellationToken);
}
