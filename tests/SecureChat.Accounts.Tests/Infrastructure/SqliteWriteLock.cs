using Microsoft.Data.Sqlite;

namespace SecureChat.Accounts.Tests.Infrastructure;

/// <summary>Simulates an unavailable SQLite database by holding its write lock from another connection.</summary>
internal sealed class SqliteWriteLock(string path) : IAsyncDisposable
{
    private SqliteConnection? _locker;
    private SqliteTransaction? _transaction;

    public async Task TakeAsync()
    {
        _locker = new SqliteConnection($"Data Source={path};Pooling=False");
        await _locker.OpenAsync();

        // Microsoft.Data.Sqlite begins IMMEDIATE transactions, which take the write lock at once.
        _transaction = (SqliteTransaction)await _locker.BeginTransactionAsync();
    }

    public async Task ReleaseAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
            _transaction = null;
        }

        if (_locker is not null)
        {
            await _locker.DisposeAsync();
            _locker = null;
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
