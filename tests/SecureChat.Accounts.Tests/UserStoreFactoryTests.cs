
namespace SecureChat.Accounts.Tests;

public sealed class UserStoreFactoryTests
{
    [Fact]
    public void Sqlite_setting_creates_a_sqlite_store_with_a_full_path()
    {
        var store = UserStoreFactory.Create("sqlite:data/users.db");

        var sqlite = Assert.IsType<SqliteUserStore>(store);
        Assert.Equal(Path.GetFullPath("data/users.db"), sqlite.DatabasePath);
    }

    [Fact]
    public void Mysql_setting_creates_a_mysql_store_with_the_given_options()
    {
        var options = new UserStoreOptions { TablePrefix = "app_", CommandTimeout = TimeSpan.FromSeconds(3) };

        var store = UserStoreFactory.Create("mysql:Server=127.0.0.1;Database=securechat;User ID=u;Password=p", options);

        Assert.Same(options, Assert.IsType<MySqlUserStore>(store).Options);
    }

    [Theory]
    [InlineData("postgres:Host=x")]
    [InlineData("users.db")]
    [InlineData("")]
    [InlineData("sqlite:")]
    [InlineData("sqlite:   ")]
    [InlineData("mysql:")]
    public void Malformed_setting_is_an_argument_exception_with_a_sentence(string db)
    {
        var error = Assert.Throws<ArgumentException>(() => UserStoreFactory.Create(db));

        Assert.Equal("db", error.ParamName);
        Assert.Matches("(sqlite|mysql):' (must be )?followed by", error.Message);
    }

    [Fact]
    public void Bad_mysql_connection_string_is_reported_without_repeating_its_password()
    {
        var noDatabase = Assert.Throws<ArgumentException>(() => UserStoreFactory.Create("mysql:Server=127.0.0.1;User ID=u;Password=s3cret-value"));
        var unknownKey = Assert.Throws<ArgumentException>(() => UserStoreFactory.Create("mysql:Server=127.0.0.1;Database=d;Password=s3cret-value;Bogus Key=1"));

        Assert.DoesNotContain("s3cret-value", noDatabase.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", unknownKey.Message, StringComparison.Ordinal);
        Assert.Equal("db", unknownKey.ParamName);
    }

    [Theory]
    [InlineData("Upper_")]
    [InlineData("semi;colon")]
    [InlineData("quote`")]
    [InlineData("a_prefix_that_is_far_too_long_for_a_table_name_")]
    public void Unsafe_table_prefix_is_rejected(string prefix)
    {
        var options = new UserStoreOptions { TablePrefix = prefix };

        Assert.Throws<ArgumentException>(() => UserStoreFactory.Create("sqlite:x.db", options));
        Assert.Throws<ArgumentException>(() => new SqliteUserStore("x.db", options));
    }

    [Fact]
    public void Timeouts_below_one_second_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteUserStore("x.db", new UserStoreOptions { CommandTimeout = TimeSpan.FromMilliseconds(10) }));
}
