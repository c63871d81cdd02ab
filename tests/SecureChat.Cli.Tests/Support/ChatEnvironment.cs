namespace SecureChat.Cli.Tests.Support;

/// <summary>Environment variables (<c>SECURECHAT_*</c> configuration keys) for the servers the tests start.</summary>
public static class ChatEnvironment
{
    /// <summary>Argon2id at its cheapest, so a registration or login costs milliseconds instead of the production
    /// cost; what is tested is the protocol and the command, not the password hash.</summary>
    public static IReadOnlyDictionary<string, string?> Fast { get; } = new Dictionary<string, string?>
    {
        ["SECURECHAT_ARGON2MEMORYKIB"] = "64",
        ["SECURECHAT_ARGON2ITERATIONS"] = "1",
    };

    /// <summary>No join, leave or roster notices.</summary>
    /// <remarks>A notice the server sends while a client is already sending its receipt is in flight (protocol
    /// §4.6): both sides log it, but the client's receipt does not cover it, so the files are accepted and
    /// honestly reported incomplete. A test that asserts complete files keeps the server from sending anything
    /// the clients do not wait for.</remarks>
    public static IReadOnlyDictionary<string, string?> NoPresenceNotices { get; } = new Dictionary<string, string?>
    {
        ["SECURECHAT_PRESENCENOTICELIMIT"] = "0",
    };

    /// <summary>These variables with <paramref name="more"/> added (its values win).</summary>
    public static IReadOnlyDictionary<string, string?> With(this IReadOnlyDictionary<string, string?> variables, IReadOnlyDictionary<string, string?>? more)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var merged = new Dictionary<string, string?>(variables);
        foreach (var (name, value) in more ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        return merged;
    }
}
