namespace SecureChat.Cli.Tests.Support;

/// <summary>Whether the dissector tests can run: they need <c>tshark</c> (and, for the live capture, <c>tcpdump</c>
/// run as root) on <c>PATH</c>. Locally a missing tool skips them with a reason; with <c>CI=true</c> they are never
/// skipped, so a CI machine without the tools fails instead of passing quietly.</summary>
public static class WiresharkEnvironment
{
    /// <summary>Why the tests that need <paramref name="tools"/> are skipped in this run, or <see langword="null"/>.</summary>
    public static string? SkipReason(bool needsRoot, params string[] tools)
    {
        if (MySqlTestEnvironment.IsCi)
        {
            return null;
        }

        var missing = tools.Where(t => !OnPath(t)).ToList();
        if (missing.Count > 0)
        {
            return $"Wireshark tests skipped: {string.Join(" and ", missing)} not on PATH (install tshark and tcpdump; with CI=true they fail instead).";
        }

        return needsRoot && Environment.UserName != "root"
            ? "Wireshark tests skipped: capturing on lo with tcpdump needs root (with CI=true they fail instead)."
            : null;
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}

/// <summary>A fact that runs the real <c>tshark</c>: skipped with a reason when it is missing locally, never with <c>CI=true</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TsharkFactAttribute : FactAttribute
{
    public TsharkFactAttribute()
    {
        if (WiresharkEnvironment.SkipReason(needsRoot: false, "tshark") is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>The theory form of <see cref="TsharkFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TsharkTheoryAttribute : TheoryAttribute
{
    public TsharkTheoryAttribute()
    {
        if (WiresharkEnvironment.SkipReason(needsRoot: false, "tshark") is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that captures with the real <c>tcpdump -i lo</c> and dissects with <c>tshark</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TcpdumpFactAttribute : FactAttribute
{
    public TcpdumpFactAttribute()
    {
        if (WiresharkEnvironment.SkipReason(needsRoot: true, "tshark", "tcpdump") is { } reason)
        {
            Skip = reason;
        }
    }
}
