namespace SecureChat.Accounts;

/// <summary>Creates a user store from the server's <c>--db</c> setting.</summary>
public static class UserStoreFactory
{
    private const string SqlitePrefix = "sqlite:";
    private const string MySqlPrefix = "mysql:";

    /// <summary>Creates a store from <c>sqlite:PATH</c> or <c>mysql:CONNECTION-STRING</c>; call <see cref="IUserStore.EnsureSchemaAsync"/> before use (it also creates the SQLite file's directory).</summary>
    /// <exception cref="ArgumentException">The setting has another form, or its path or connection string is empty or malformed.</exception>
    public static IUserStore Create(string db, UserStoreOptions? options = null)
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

            return new SqliteUserStore(path, options);
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
                return new MySqlUserStore(connectionString, options);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException("The connection string after 'mysql:' could not be parsed or names no database.", nameof(db), e);
            }
        }

        throw new ArgumentException("The database setting must start with 'sqlite:' followed by a file path or 'mysql:' followed by a connection string.", nameof(db));
    }
}
