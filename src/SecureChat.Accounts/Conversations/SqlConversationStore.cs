using System.Data.Common;
using System.Globalization;

namespace SecureChat.Accounts.Conversations;

/// <summary>The SQL shared by the SQLite and MySQL conversation stores; derived classes supply connections, DDL and dialect.</summary>
/// <remarks>
/// Every value travels as a command parameter. The only text spliced into SQL is the table prefix, which
/// <see cref="UserStoreOptions"/> restricts to <c>[a-z0-9_]</c>, and generated parameter names. Message ids come from
/// a one-row sequence table whose row every storing transaction locks first: transactions that store messages
/// therefore commit one after another, in id order, also across processes.
/// </remarks>
public abstract partial class SqlConversationStore : IConversationStore
{
    /// <summary>The schema version this build creates and understands.</summary>
    public const int CurrentSchemaVersion = 1;

    private protected SqlConversationStore(UserStoreOptions? options)
    {
        Options = options ?? UserStoreOptions.Default;
        Options.Validate();
        SchemaVersionTable = Options.TablePrefix + "conversation_schema";
        RoomsTable = Options.TablePrefix + "rooms";
        MembersTable = Options.TablePrefix + "room_members";
        MessagesTable = Options.TablePrefix + "messages";
        PendingTable = Options.TablePrefix + "pending_deliveries";
        MessageIdsTable = Options.TablePrefix + "message_ids";
        _writes = new MessageWriteQueue(WriteBatchAsync, CloseWriterAsync);
    }

    /// <summary>The settings this store was created with.</summary>
    public UserStoreOptions Options { get; }

    private protected string SchemaVersionTable { get; }

    private protected string RoomsTable { get; }

    private protected string MembersTable { get; }

    private protected string MessagesTable { get; }

    private protected string PendingTable { get; }

    /// <summary>The one-row table holding the last message id given out.</summary>
    private protected string MessageIdsTable { get; }

    /// <inheritdoc />
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) =>
        RunAsync("prepare its schema", async (connection, ct) =>
        {
            await PrepareSchemaAsync(connection, ct).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"CREATE TABLE IF NOT EXISTS {SchemaVersionTable} (version INTEGER NOT NULL PRIMARY KEY, applied_ms BIGINT NOT NULL)", ct).ConfigureAwait(false);

            // Two servers starting at once must not both apply the same migration.
            var transaction = await BeginMigrationAsync(connection, ct).ConfigureAwait(false);
            var migrated = false;
            try
            {
                var current = await ReadSchemaVersionAsync(connection, transaction, ct).ConfigureAwait(false);
                if (current > CurrentSchemaVersion)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"The conversation database has schema version {current}, newer than the {CurrentSchemaVersion} this build understands; upgrade the server."));
                }

                for (var version = current + 1; version <= CurrentSchemaVersion; version++)
                {
                    foreach (var statement in MigrationStatements(version))
                    {
                        await ExecuteAsync(connection, transaction, statement, ct).ConfigureAwait(false);
                    }

                    await ExecuteAsync(connection, transaction, $"INSERT INTO {SchemaVersionTable} (version, applied_ms) VALUES (@version, @now)", ct,
                        ("@version", version), ("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                }

                migrated = true;
            }
            finally
            {
                await EndMigrationAsync(connection, transaction, migrated, ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken, beforeOpen: BeforeSchemaOpen);

    /// <summary>Returns the schema version recorded in the database (0 when none).</summary>
    internal Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        RunAsync("read its schema version", (connection, ct) => ReadSchemaVersionAsync(connection, null, ct), cancellationToken);

    /// <summary>Opens a connection with the configured timeouts.</summary>
    private protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>The DDL that migrates the schema from <paramref name="version"/> − 1 to <paramref name="version"/>; each statement is idempotent.</summary>
    private protected abstract IReadOnlyList<string> MigrationStatements(int version);

    /// <summary>Starts a transaction that writes, taking the write lock at once where the database has one.</summary>
    private protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Statements with <c>@count</c> that add it to the sequence row's <c>last_id</c>, locking the row until
    /// commit; their first result row holds the new <c>last_id</c> (no row, or NULL, when the sequence row is missing).</summary>
    private protected abstract string ReserveIdsSql { get; }

    /// <summary>An expression for the <c>last_id</c> that <see cref="ReserveIdsSql"/> set, usable by the statements after it in the transaction.</summary>
    private protected abstract string LastIdSql { get; }

    /// <summary>An INSERT of one row into <paramref name="table"/> that does nothing when the row's primary key exists.</summary>
    private protected abstract string InsertIfAbsentSql(string table, string columns, string values);

    /// <summary>Runs before the schema connection is opened (e.g. to create a directory).</summary>
    private protected virtual void BeforeSchemaOpen()
    {
    }

    /// <summary>Runs on the schema connection before any migration (e.g. to set the journal mode).</summary>
    private protected virtual Task PrepareSchemaAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serialises migrations between processes; returns the transaction the migration runs in, if any.</summary>
    private protected virtual async Task<DbTransaction?> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

    /// <summary>Commits (when <paramref name="succeeded"/>) or abandons what <see cref="BeginMigrationAsync"/> started.</summary>
    /// <remarks>A transaction disposed without a commit rolls back, so a failed migration leaves nothing half-applied.</remarks>
    private protected virtual async Task EndMigrationAsync(DbConnection connection, DbTransaction? transaction, bool succeeded, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await using (transaction.ConfigureAwait(false))
            {
                if (succeeded)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Called after a failure was reported as unavailability, so the next call starts from clean connections.</summary>
    private protected virtual Task OnUnavailableAsync() => Task.CompletedTask;

    private protected DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = Options.CommandTimeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return command;
    }

    private protected async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = CreateCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private protected async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = CreateCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private async Task<int> ReadSchemaVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var value = await ScalarAsync(connection, transaction, $"SELECT COALESCE(MAX(version), 0) FROM {SchemaVersionTable}", cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="body"/> in a transaction that writes, committing when it returns.</summary>
    private async Task<T> InWriteTransactionAsync<T>(DbConnection connection, Func<DbTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var result = await body(transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }

    private Task RunAsync(string action, Func<DbConnection, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        RunAsync(action, async (connection, ct) =>
        {
            await body(connection, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(string action, Func<DbConnection, CancellationToken, Task<T>> body, CancellationToken cancellationToken, Action? beforeOpen = null)
    {
        try
        {
            beforeOpen?.Invoke();
            var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await body(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (DatabaseFailures.IsUnavailability(e, cancellationToken))
        {
            await OnUnavailableAsync().ConfigureAwait(false);
            throw Unavailable(action, e);
        }
    }

    private static UserStoreUnavailableException Unavailable(string action, Exception cause) =>
        new($"The conversation database could not {action}: {DatabaseFailures.Cause(cause)}.", cause);
}
