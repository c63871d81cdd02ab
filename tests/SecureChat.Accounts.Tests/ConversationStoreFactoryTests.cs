using SecureChat.Accounts.Conversations;

namespace SecureChat.Accounts.Tests;

public sealed class ConversationStoreFactoryTests
{
    [Fact]
    public void Sqlite_setting_creates_a_sqlite_store_with_a_full_path()
    {
        var store = ConversationStoreFactory.Create("sqlite:data/users.db");

        Assert.Equal(Path.GetFullPath("data/users.db"), Assert.IsType<SqliteConversationStore>(store).DatabasePath);
    }

    [Fact]
    public void Mysql_setting_creates_a_mysql_store_with_the_given_options()
    {
        var options = new UserStoreOptions { TablePrefix = "app_", CommandTimeout = TimeSpan.FromSeconds(3) };

        var store = ConversationStoreFactory.Create("mysql:Server=127.0.0.1;Database=securechat;User ID=u;Password=p", options);

        Assert.Same(options, Assert.IsType<MySqlConversationStore>(store).Options);
    }

    [Theory]
    [InlineData("postgres:Host=x")]
    [InlineData("users.db")]
    [InlineData("")]
    [InlineData("sqlite:")]
    [InlineData("sqlite:   ")]
    [InlineData("mysql:")]
    public void Malformed_setting_is_the_same_argument_exception_as_for_the_user_store(string db)
    {
        var error = Assert.Throws<ArgumentException>(() => ConversationStoreFactory.Create(db));
        var userStoreError = Assert.Throws<ArgumentException>(() => UserStoreFactory.Create(db));

        Assert.Equal("db", error.ParamName);
        Assert.Equal(userStoreError.Message, error.Message);
    }

    [Fact]
    public void Bad_mysql_connection_string_is_reported_without_repeating_its_password()
    {
        var noDatabase = Assert.Throws<ArgumentException>(() => ConversationStoreFactory.Create("mysql:Server=127.0.0.1;User ID=u;Password=s3cret-value"));
        var unknownKey = Assert.Throws<ArgumentException>(() => ConversationStoreFactory.Create("mysql:Server=127.0.0.1;Database=d;Password=s3cret-value;Bogus Key=1"));

        Assert.DoesNotContain("s3cret-value", noDatabase.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", unknownKey.Message, StringComparison.Ordinal);
        Assert.Equal("db", unknownKey.ParamName);
    }

    [Fact]
    public void Unsafe_table_prefix_is_rejected() =>
        Assert.Throws<ArgumentException>(() => ConversationStoreFactory.Create("sqlite:x.db", new UserStoreOptions { TablePrefix = "semi;colon" }));
}
