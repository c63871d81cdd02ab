namespace SecureChat.Accounts.Conversations;

/// <summary>Creates a conversation store from the server's <c>--db</c> setting, the same one the user store reads.</summary>
public static class ConversationStoreFactory
{
    /// <summary>Creates a store from <c>sqlite:PATH</c> or <c>mysql:CONNECTION-STRING</c>; call <see cref="IConversationStore.EnsureSchemaAsync"/>
    /// before use (it also creates the SQLite file's directory). The user store may share the file or database: the tables differ.</summary>
    /// <exception cref="ArgumentException">The setting has another form, or its path or connection string is empty or malformed.</exception>
    public static IConversationStore Create(string db, UserStoreOptions? options = null) =>
        DatabaseSetting.Create<IConversationStore>(db, options,
            (path, o) => new SqliteConversationStore(path, o),
            (connectionString, o) => new MySqlConversationStore(connectionString, o));
}
