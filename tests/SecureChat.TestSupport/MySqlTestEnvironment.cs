using MySqlConnector;
using Xunit;

namespace SecureChat.TestSupport;

/// <summary>Where the MariaDB tests find their server, and whether they may be skipped.</summary>
/// <remarks>
/// Locally, a missing <c>SECURECHAT_TEST_MYSQL</c> or an unreachable server skips them with a reason. With
/// <c>CI=true</c> they are never skipped, so a CI machine without MariaDB fails instead of passing quietly.
/// </remarks>
public static class MySqlTestEnvironment
{
    public const string Variable = "SECURECHAT_TEST_MYSQL";

    private static readonly Lazy<string?> SkipReasonValue = new(() => SkipReason(ConnectionString, IsCi, Probe));

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the MariaDB tests are skipped in this run, or <see langword="null"/> when they run.</summary>
    public static string? CurrentSkipReason => SkipReasonValue.Value;

    /// <summary>The connection string, or a clear failure when it is missing (which only happens here with CI=true).</summary>
    public static string RequireConnectionString() =>
        ConnectionString ?? throw new InvalidOperationException(
            $"{Variable} is not set, but CI=true requires the MariaDB tests to run: start MariaDB (.ci/start-mariadb.sh) and set {Variable}.");

    /// <summary>Decides whether to skip; <paramref name="probe"/> returns an error message or null when the server answers.</summary>
    public static string? SkipReason(string? connectionString, bool ci, Func<string, string?> probe)
    {
        if (ci)
        {
            return null;
        }

        if (connectionString is null)
        {
            return $"MariaDB tests skipped: {Variable} is not set (with CI=true they fail instead).";
        }

        return probe(connectionString) is { } error
            ? $"MariaDB tests skipped: the server named by {Variable} is unreachable ({error}); with CI=true they fail instead."
            : null;
    }

    private static string? Probe(string connectionString)
    {
        try
        {
            var builder = new MySqlConnectionStringBuilder(connectionString) { ConnectionTimeout = 3 };
            using var connection = new MySqlConnection(builder.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception e) when (e is MySqlException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }
}

/// <summary>A fact that needs the MariaDB named by <c>SECURECHAT_TEST_MYSQL</c>: skipped with a reason when it is
/// unavailable locally, never skipped with <c>CI=true</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MySqlFactAttribute : FactAttribute
{
    public MySqlFactAttribute()
    {
        if (MySqlTestEnvironment.CurrentSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The theory form of <see cref="MySqlFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MySqlTheoryAttribute : TheoryAttribute
{
    public MySqlTheoryAttribute()
    {
        if (MySqlTestEnvironment.CurrentSkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
