using MySqlConnector;

namespace SecureChat.Accounts.Tests.Infrastructure;

/// <summary>Direct access to the test MariaDB, bypassing the stores.</summary>
internal static class MySqlTables
{
    /// <summary>A table prefix no other test uses (<c>t&lt;12 hex&gt;_</c>).</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + "_";

    /// <summary>Drops every table whose name starts with <paramref name="prefix"/>; does nothing when no server is configured.</summary>
    public static async Task DropWithPrefixAsync(string prefix)
    {
        if (MySqlTestEnvironment.ConnectionString is not { } connectionString)
        {
            return;
        }

        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE @pattern";
            list.Parameters.AddWithValue("@pattern", prefix.Replace("_", "\\_", StringComparison.Ordinal) + "%");
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables.Where(t => t.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP TABLE IF EXISTS `{table}`";
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Runs one statement and returns the first column of its first row.</summary>
    public static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(MySqlTestEnvironment.RequireConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
