using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SecureChat.Accounts;

/// <summary>The SQLite habits every store shares: pooled connections with a busy timeout, and a file only its owner can read.</summary>
internal static class SqliteDatabase
{
    /// <summary>The connection string for the database file at <paramref name="fullPath"/>.</summary>
    public static string ConnectionString(string fullPath, UserStoreOptions options) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = options.CommandTimeoutSeconds,
        }.ToString();

    /// <summary>Opens a connection and sets its busy timeout, plus any further per-connection <paramref name="pragmas"/>.</summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, UserStoreOptions options, string pragmas, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // SQLite's own busy handler lets a statement wait for another writer's lock (bounded by the command
            // timeout) rather than failing at once with SQLITE_BUSY.
            var busyTimeoutMs = options.CommandTimeoutSeconds * 1000L;
            var pragma = connection.CreateCommand();
            await using (pragma.ConfigureAwait(false))
            {
                pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyTimeoutMs};{pragmas}");
                pragma.CommandTimeout = options.CommandTimeoutSeconds;
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the file's directory, and the file itself readable by its owner only, before SQLite opens it.</summary>
    public static void PrepareFile(string fullPath)
    {
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (!OperatingSystem.IsWindows() && !File.Exists(fullPath))
        {
            using var _ = new FileStream(fullPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
    }
}
