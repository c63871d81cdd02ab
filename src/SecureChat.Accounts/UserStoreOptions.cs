namespace SecureChat.Accounts;

/// <summary>Settings shared by the SQL user stores.</summary>
public sealed record UserStoreOptions
{
    /// <summary>The options used when none are given: no table prefix, 5 s connect and command timeouts.</summary>
    public static UserStoreOptions Default { get; } = new();

    /// <summary>A prefix for every table name (lower-case ASCII letters, digits and '_', at most 32 characters), so that several stores can share one database.</summary>
    public string TablePrefix { get; init; } = "";

    /// <summary>How long opening a connection may take before the call fails (MySQL); overrides the connection string.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one statement may run, or wait for a lock, before the call fails; overrides the connection string.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    internal void Validate()
    {
        if (TablePrefix.Length > 32 || !TablePrefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            // The prefix is spliced into identifiers, which cannot be parameters; a strict alphabet keeps that safe.
            throw new ArgumentException("The table prefix may only contain lower-case ASCII letters, digits and '_' (at most 32 characters).", nameof(TablePrefix));
        }

        if (ConnectTimeout < TimeSpan.FromSeconds(1) || CommandTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), "Connect and command timeouts must be at least one second.");
        }
    }

    internal int ConnectTimeoutSeconds => SecondsCeiling(ConnectTimeout);

    internal int CommandTimeoutSeconds => SecondsCeiling(CommandTimeout);

    private static int SecondsCeiling(TimeSpan value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value.TotalSeconds));
}
