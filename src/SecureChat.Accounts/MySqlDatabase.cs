using System.Security.Cryptography;
using System.Text;
using MySqlConnector;

namespace SecureChat.Accounts;

/// <summary>The MySQL habits every store shares: timeouts from the options, a named lock for migrations, a pool cleared after an outage.</summary>
internal static class MySqlDatabase
{
    /// <summary>Parses <paramref name="connectionString"/> and overrides its timeouts with the options'.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed or names no database.</exception>
    public static MySqlConnectionStringBuilder Parse(string connectionString, UserStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            ConnectionTimeout = (uint)options.ConnectTimeoutSeconds,
            DefaultCommandTimeout = (uint)options.CommandTimeoutSeconds,
        };
        if (string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new ArgumentException("The MySQL connection string must name a database (Database=...).", nameof(connectionString));
        }

        return builder;
    }

    /// <summary>A server-wide GET_LOCK name (at most 64 characters) for the migrations of one set of tables.</summary>
    /// <param name="scope">The database name and table prefix, plus anything that tells one store's tables from another's.</param>
    public static string MigrationLockName(string scope)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(scope));
        return "securechat_schema_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Opens a connection, disposing it when opening fails.</summary>
    public static async Task<MySqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops pooled sessions, which are dead sockets after an outage, so the next call opens a fresh connection.</summary>
    public static async Task ClearPoolAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await MySqlConnection.ClearPoolAsync(connection).ConfigureAwait(false);
        }
    }
}
