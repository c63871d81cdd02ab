namespace SecureChat.Accounts;

/// <summary>Reads the server's <c>--db</c> setting (<c>sqlite:PATH</c> or <c>mysql:CONNECTION-STRING</c>) for every store factory.</summary>
internal static class DatabaseSetting
{
    private const string SqlitePrefix = "sqlite:";
    private const string MySqlPrefix = "mysql:";

    /// <summary>Creates a store of the setting's kind with <paramref name="sqlite"/> (given the path) or <paramref name="mysql"/> (given the connection string).</summary>
    /// <exception cref="ArgumentException">The setting has another form, or its path or connection string is empty or malformed.</exception>
    public static T Create<T>(string db, UserStoreOptions? options, Func<string, UserStoreOptions?, T> sqlite, Func<string, UserStoreOptions?, T> mysql)
    {
        ArgumentNullException.ThrowIfNull(db);
        (options ?? UserStoreOptions.Default).Validate();

        // Messages never repeat the setting itself: a MySQL connection string carries a password.
        if (db.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = db[SqlitePrefix.Length..];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("The database setting 'sqlite:' must be followed by a file path, e.g. 'sqlite:data/users.db'.", nameof(db));
            }

            return sqlite(path, options);
        }

        if (db.StartsWith(MySqlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = db[MySqlPrefix.Length..];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new ArgumentException("The database setting 'mysql:' must be followed by a connection string, e.g. 'mysql:Server=127.0.0.1;Database=securechat;User ID=...;Password=...'.", nameof(db));
            }

            try
            {
                return mysql(connectionString, options);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException("The connection string after 'mysql:' could not be parsed or names no database.", nameof(db), e);
            }
        }

        throw new ArgumentException("The database setting must start with 'sqlite:' followed by a file path or 'mysql:' followed by a connection string.", nameof(db));
    }
}
