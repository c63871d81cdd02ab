using System.Data.Common;
using System.Globalization;

namespace SecureChat.Accounts.Conversations;

/// <summary>Stored messages and pending deliveries.</summary>
public abstract partial class SqlConversationStore
{
    /// <summary>Most ids in one IN list, and most messages one purge transaction deletes.</summary>
    private const int MaxIdsPerStatement = 500;

    private static readonly string[] IdNames = [.. Enumerable.Range(0, MaxIdsPerStatement).Select(i => "@i" + i.ToString(CultureInfo.InvariantCulture))];

    private readonly string?[] _deletePendingSql = new string?[MaxIdsPerStatement + 1];

    /// <inheritdoc />
    public Task MarkDeliveredAsync(string username, IReadOnlyCollection<long> messageIds, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(username, ConversationLimits.MaxUsernameLength, nameof(username));
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        var ids = messageIds.Distinct().Chunk(MaxIdsPerStatement).ToList();
        return RunAsync("mark the messages delivered", async (connection, ct) =>
        {
            if (ids.Count == 1)
            {
                await DeletePendingAsync(connection, null, username, ids[0], ct).ConfigureAwait(false);
                return;
            }

            await InWriteTransactionAsync(connection, async transaction =>
            {
                foreach (var chunk in ids)
                {
                    await DeletePendingAsync(connection, transaction, username, chunk, ct).ConfigureAwait(false);
                }

                return true;
            }, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredMessage>> PendingAsync(string username, int limit, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(username, ConversationLimits.MaxUsernameLength, nameof(username));
        ConversationLimits.CheckLimit(limit, nameof(limit));
        return RunAsync<IReadOnlyList<StoredMessage>>("read the pending messages", async (connection, ct) =>
        {
            var command = CreateCommand(connection, null,
                $"SELECT m.id, m.thread, m.author, m.stored_ms, m.body FROM {PendingTable} p JOIN {MessagesTable} m ON m.id = p.message_id " +
                "WHERE p.username = @username ORDER BY p.message_id LIMIT @limit", ("@username", username), ("@limit", limit));
            await using (command.ConfigureAwait(false))
            {
                return await ReadMessagesAsync(command, ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredMessage>> MessagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct().ToArray();
        if (distinct.Length > ConversationLimits.MaxIdsPerRead)
        {
            throw new ArgumentOutOfRangeException(nameof(ids), $"at most {ConversationLimits.MaxIdsPerRead} ids per read, not {distinct.Length}");
        }

        if (distinct.Length == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredMessage>>([]);
        }

        return RunAsync<IReadOnlyList<StoredMessage>>("read messages by id", async (connection, ct) =>
        {
            var command = CreateCommand(connection, null,
                $"SELECT id, thread, author, stored_ms, body FROM {MessagesTable} WHERE id IN ({string.Join(", ", IdNames.Take(distinct.Length))}) ORDER BY id");
            await using (command.ConfigureAwait(false))
            {
                for (var i = 0; i < distinct.Length; i++)
                {
                    AddParameter(command, IdNames[i], distinct[i]);
                }

                return await ReadMessagesAsync(command, ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredMessage>> HistoryAsync(string thread, int limit, CancellationToken cancellationToken = default)
    {
        ConversationLimits.CheckName(thread, ConversationLimits.MaxThreadLength, nameof(thread));
        ConversationLimits.CheckLimit(limit, nameof(limit));
        return RunAsync<IReadOnlyList<StoredMessage>>("read the history", async (connection, ct) =>
        {
            var command = CreateCommand(connection, null,
                $"SELECT id, thread, author, stored_ms, body FROM {MessagesTable} WHERE thread = @thread ORDER BY id DESC LIMIT @limit",
                ("@thread", thread), ("@limit", limit));
            await using (command.ConfigureAwait(false))
            {
                var newestFirst = await ReadMessagesAsync(command, ct).ConfigureAwait(false);
                newestFirst.Reverse();
                return newestFirst;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deletes in transactions of at most 500 messages each, so a large purge neither holds locks for long nor
    /// runs into the command timeout; an interrupted purge keeps what it deleted, and the next one goes on from there.</remarks>
    public Task<int> PurgeAsync(long olderThanMs, CancellationToken cancellationToken = default) =>
        RunAsync("purge old messages", async (connection, ct) =>
        {
            var deleted = 0;
            while (true)
            {
                var (selected, count) = await InWriteTransactionAsync(connection, async transaction =>
                {
                    var ids = new List<long>(MaxIdsPerStatement);
                    var select = CreateCommand(connection, transaction, $"SELECT id FROM {MessagesTable} WHERE stored_ms < @before LIMIT @limit",
                        ("@before", olderThanMs), ("@limit", MaxIdsPerStatement));
                    await using (select.ConfigureAwait(false))
                    {
                        var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                            {
                                ids.Add(reader.GetInt64(0));
                            }
                        }
                    }

                    if (ids.Count == 0)
                    {
                        return (0, 0);
                    }

                    await DeleteByIdsAsync(connection, transaction, PendingTable, "message_id", ids, ct).ConfigureAwait(false);
                    return (ids.Count, await DeleteByIdsAsync(connection, transaction, MessagesTable, "id", ids, ct).ConfigureAwait(false));
                }, ct).ConfigureAwait(false);

                // Counted by what this call deleted: a concurrent purge may have taken some of the selected rows.
                deleted += count;
                if (selected < MaxIdsPerStatement)
                {
                    return deleted;
                }
            }
        }, cancellationToken);

    private static async Task<List<StoredMessage>> ReadMessagesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var messages = new List<StoredMessage>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                messages.Add(new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
            }
        }

        return messages;
    }

    private async Task<int> DeleteByIdsAsync(DbConnection connection, DbTransaction transaction, string table, string column, List<long> ids, CancellationToken cancellationToken)
    {
        var command = CreateCommand(connection, transaction,
            $"DELETE FROM {table} WHERE {column} IN ({string.Join(", ", IdNames.Take(ids.Count))})");
        await using (command.ConfigureAwait(false))
        {
            for (var i = 0; i < ids.Count; i++)
            {
                AddParameter(command, IdNames[i], ids[i]);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeletePendingAsync(DbConnection connection, DbTransaction? transaction, string username, long[] ids, CancellationToken cancellationToken)
    {
        // One statement text per list length, built once and reused.
        var sql = _deletePendingSql[ids.Length] ??=
            $"DELETE FROM {PendingTable} WHERE username = @username AND message_id IN ({string.Join(", ", IdNames.Take(ids.Length))})";
        var command = CreateCommand(connection, transaction, sql, ("@username", username));
        await using (command.ConfigureAwait(false))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                AddParameter(command, IdNames[i], ids[i]);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
