namespace SecureChat.Accounts.Tests;

/// <summary>The rules that decide whether the MariaDB tests may be skipped.</summary>
public sealed class MySqlTestEnvironmentTests
{
    private static readonly Func<string, string?> Reachable = _ => null;
    private static readonly Func<string, string?> Unreachable = _ => "connection refused";

    [Fact]
    public void Missing_variable_skips_locally_with_a_reason() =>
        Assert.Contains(MySqlTestEnvironment.Variable, MySqlTestEnvironment.SkipReason(null, ci: false, Reachable), StringComparison.Ordinal);

    [Fact]
    public void Unreachable_server_skips_locally_with_the_cause() =>
        Assert.Contains("connection refused", MySqlTestEnvironment.SkipReason("Server=x", ci: false, Unreachable), StringComparison.Ordinal);

    [Fact]
    public void Reachable_server_runs_the_tests() =>
        Assert.Null(MySqlTestEnvironment.SkipReason("Server=x", ci: false, Reachable));

    [Fact]
    public void In_ci_the_tests_are_never_skipped_so_a_missing_server_fails_them()
    {
        Assert.Null(MySqlTestEnvironment.SkipReason(null, ci: true, Reachable));
        Assert.Null(MySqlTestEnvironment.SkipReason("Server=x", ci: true, Unreachable));
    }
}
