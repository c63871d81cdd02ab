namespace SecureChat.Accounts;

/// <summary>Creates a user store from the server's <c>--db</c> setting.</summary>
public static class UserStoreFactory
{
    /// <summary>Creates a store from <c>sqlite:PATH</c> or <c>mysql:CONNECTION-STRING</c>; call <see cref="IUserStore.EnsureSchemaAsync"/> before use (it also creates the SQLite file's directory).</summary>
    /// <exception cref="ArgumentException">The setting has another form, or its path or connection string is empty or malformed.</exception>
    public static IUserStore Create(string db, UserStoreOptions? options = null) =>
        DatabaseSetting.Create<IUserStore>(db, options,
            (path, o) => new SqliteUserStore(path, o),
            (connectionString, o) => new MySqlUserStore(connectionString, o));
}
