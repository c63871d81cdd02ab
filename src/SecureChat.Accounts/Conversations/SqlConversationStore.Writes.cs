using System.Data.Common;
using System.Globalization;
using System.Text;

namespace SecureChat.Accounts.Conversations;

/// <summary>Storing messages: calls are queued and written in batches, each in one transaction on a reused connection.</summary>
public abstract partial class SqlConversationStore
{
    /// <summary>Most parameters in one command (SQLite allows 32 766, MySQL 65 535).</summary>
    private const int MaxParametersPerCommand = 2000;

    /// <summary>Most body bytes in one command, so it stays well under MySQL's default 16 MiB packet even escaped.</summary>
    private const long MaxBodyBytesPerCommand = 2L * 1024 * 1024;

    private static readonly string[] ParameterNames = [.. Enumerable.Range(0, MaxParametersPerCommand).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture))];

    private readonly MessageWriteQueue _writes;

    // The writer's connection, kept while the queue has work and closed when it runs dry or fails. Only the queue's
    // single writer touches it.
    private DbConnection? _writerConnection;

    /// <inheritdoc />
    /// <remarks>Concurrent calls share transactions (group commit), but a call's messages always commit together. A
    /// cancellation counts until the call's transaction starts; a cancelled call stored nothing.</remarks>
    public async Task<IReadOnlyList<long>> StoreAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Copies, so the lists the caller owns cannot change between these checks and the write.
        var snapshot = messages.ToArray();
        var bodyBytes = new int[snapshot.Length];
        var recipients = new IReadOnlyList<string>[snapshot.Length];
        for (var i = 0; i < snapshot.Length; i++)
        {
            var message = snapshot[i] ?? throw new ArgumentException("The list holds a null message.", nameof(messages));
            ConversationLimits.CheckName(message.Thread, ConversationLimits.MaxThreadLength, nameof(messages));
            ConversationLimits.CheckName(message.Author, ConversationLimits.MaxUsernameLength, nameof(messages));
            bodyBytes[i] = ConversationLimits.CheckBody(message.Body, nameof(messages));
            recipients[i] = DistinctRecipients(message.PendingFor, nameof(messages));
        }

        if (snapshot.Length == 0)
        {
            return [];
        }

        return await _writes.WriteAsync(new PendingWrite(snapshot, bodyBytes, recipients), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many <see cref="StoreAsync"/> calls wait for a batch to claim them.</summary>
    internal int QueuedWrites => _writes.QueuedCount;

    private static IReadOnlyList<string> DistinctRecipients(IReadOnlyList<string> pendingFor, string paramName)
    {
        ArgumentNullException.ThrowIfNull(pendingFor, paramName);
        var names = pendingFor.ToArray();
        foreach (var name in names)
        {
            ConversationLimits.CheckName(name, ConversationLimits.MaxUsernameLength, paramName);
        }

        // One row per user: a name listed twice would hit the primary key and fail the whole transaction.
        return names.Length < 2 ? names : names.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Writes one batch of queued calls in one transaction and sets their ids.</summary>
    private async Task WriteBatchAsync(IReadOnlyList<PendingWrite> batch)
    {
        try
        {
            _writerConnection ??= await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            var connection = _writerConnection;
            var last = await InWriteTransactionAsync(connection, transaction => InsertBatchAsync(connection, transaction, batch), CancellationToken.None).ConfigureAwait(false);

            // Row k of n got id last − (n − 1 − k): the reserved ids, in batch order.
            var id = last - batch.Sum(write => write.Ids.Length);
            foreach (var write in batch)
            {
                for (var i = 0; i < write.Ids.Length; i++)
                {
                    write.Ids[i] = ++id;
                }
            }
        }
        catch (Exception e)
        {
            // A connection that failed once is not trusted again.
            await CloseWriterAsync().ConfigureAwait(false);
            if (DatabaseFailures.IsUnavailability(e, CancellationToken.None))
            {
                await OnUnavailableAsync().ConfigureAwait(false);
                throw Unavailable("store the messages", e);
            }

            throw;
        }
    }

    private async Task CloseWriterAsync()
    {
        var connection = _writerConnection;
        _writerConnection = null;
        if (connection is null)
        {
            return;
        }

        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailability(e, CancellationToken.None))
        {
            // A connection being thrown away may fail to close cleanly; the error that mattered is already reported.
        }
    }

    /// <summary>Reserves the batch's ids and inserts its messages and pending rows, in as few commands as the limits allow
    /// (usually one); returns the last id reserved.</summary>
    /// <remarks>The rows carry their ids as <see cref="LastIdSql"/> minus an offset, so the first command can reserve the
    /// ids and use them without a round trip in between.</remarks>
    private async Task<long> InsertBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingWrite> batch)
    {
        var total = batch.Sum(write => write.Ids.Length);
        var commands = new List<BatchCommand> { new(ReserveIdsSql) };
        var offset = (long)total;
        foreach (var write in batch)
        {
            for (var i = 0; i < write.Messages.Count; i++)
            {
                offset--;
                var message = write.Messages[i];
                var current = commands[^1];
                if (!current.Fits(5, write.BodyBytes[i]))
                {
                    commands.Add(current = new BatchCommand(null));
                }

                var offsetName = current.Add(offset);
                current.AddMessage(offsetName, current.Add(message.Thread), current.Add(message.Author), current.Add(message.StoredMs), current.Add(message.Body), write.BodyBytes[i]);
                foreach (var recipient in write.Recipients[i])
                {
                    if (!current.Fits(2, 0))
                    {
                        commands.Add(current = new BatchCommand(null));
                        offsetName = current.Add(offset);
                    }

                    current.AddPending(current.Add(recipient), offsetName);
                }
            }
        }

        long? last = null;
        foreach (var batchCommand in commands)
        {
            var command = CreateCommand(connection, transaction, batchCommand.Sql(this));
            await using (command.ConfigureAwait(false))
            {
                if (last is null)
                {
                    AddParameter(command, "@count", total);
                }

                batchCommand.AddParametersTo(command);
                var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (last is null)
                    {
                        // The reservation's row comes first. Without it (the sequence row is gone), nothing is committed.
                        while (reader.FieldCount == 0 && await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
                        {
                        }

                        if (reader.FieldCount == 0 || !await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) || reader.IsDBNull(0))
                        {
                            throw new InvalidOperationException($"The conversation database has lost its message id sequence (the row of {MessageIdsTable}).");
                        }

                        last = reader.GetInt64(0);
                    }

                    // Reading on runs the remaining statements and surfaces their errors.
                    while (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                    }
                }
            }
        }

        return last ?? throw new InvalidOperationException("No id was reserved.");
    }

    /// <summary>One command of a batch: optionally the id reservation, then a multi-row INSERT of messages and one of pending rows.</summary>
    private sealed class BatchCommand(string? reserveSql)
    {
        private readonly List<object> _values = [];
        private readonly StringBuilder _messages = new();
        private readonly StringBuilder _pending = new();
        private long _bodyBytes;

        public bool Fits(int parameters, int bodyBytes) =>
            _values.Count + parameters <= MaxParametersPerCommand && (_bodyBytes == 0 || _bodyBytes + bodyBytes <= MaxBodyBytesPerCommand);

        public string Add(object value)
        {
            _values.Add(value);
            return ParameterNames[_values.Count - 1];
        }

        public void AddMessage(string offset, string thread, string author, string storedMs, string body, int bodyBytes)
        {
            _messages.Append(_messages.Length == 0 ? "" : ", ").Append("({last} - ").Append(offset).Append(", ").Append(thread).Append(", ")
                .Append(author).Append(", ").Append(storedMs).Append(", ").Append(body).Append(')');
            _bodyBytes += bodyBytes;
        }

        public void AddPending(string username, string offset) =>
            _pending.Append(_pending.Length == 0 ? "" : ", ").Append('(').Append(username).Append(", {last} - ").Append(offset).Append(')');

        public string Sql(SqlConversationStore store)
        {
            var sql = new StringBuilder(reserveSql);
            if (_messages.Length > 0)
            {
                sql.Append(sql.Length == 0 ? "" : "; ").Append($"INSERT INTO {store.MessagesTable} (id, thread, author, stored_ms, body) VALUES ").Append(_messages);
            }

            if (_pending.Length > 0)
            {
                sql.Append(sql.Length == 0 ? "" : "; ").Append($"INSERT INTO {store.PendingTable} (username, message_id) VALUES ").Append(_pending);
            }

            return sql.Replace("{last}", store.LastIdSql).ToString();
        }

        public void AddParametersTo(DbCommand command)
        {
            for (var i = 0; i < _values.Count; i++)
            {
                AddParameter(command, ParameterNames[i], _values[i]);
            }
        }
    }
}
