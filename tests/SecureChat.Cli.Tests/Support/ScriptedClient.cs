using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests.Support;

/// <summary>Runs <c>securechat client</c> scripted (<c>--register</c> or <c>--login</c>, <c>--password-stdin</c>,
/// <c>--json</c>) and reads the JSON lines it prints.</summary>
public static class ScriptedClient
{
    /// <summary>The password every test account uses.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>The e-mail address of a test account.</summary>
    public static string Email(string username) => $"{username}@example.org";

    /// <summary><c>client --connect ADDRESS --pki PKI --register --email … --username USERNAME --password-stdin --json [MORE]</c>.</summary>
    public static string[] Register(string address, string pkiDirectory, string username, params string[] more) =>
        ["client", "--connect", address, "--pki", pkiDirectory, "--register", "--email", Email(username), "--username", username,
            "--password-stdin", "--json", .. more];

    /// <summary><c>client --connect ADDRESS --pki PKI --login --email … --password-stdin [MORE]</c> (no <c>--json</c>).</summary>
    public static string[] Login(string address, string pkiDirectory, string username, params string[] more) =>
        ["client", "--connect", address, "--pki", pkiDirectory, "--login", "--email", Email(username), "--password-stdin", .. more];

    /// <summary>Standard input for a scripted client: the password line, then one line per message to send.</summary>
    public static string Input(IEnumerable<string>? lines = null, string password = Password) =>
        string.Concat(new[] { password }.Concat(lines ?? []).Select(line => line + "\n"));

    /// <summary>Runs a client to completion in <paramref name="workingDirectory"/> with <paramref name="input"/> on standard input.</summary>
    public static Task<ChildProcessResult> RunAsync(CliSandbox sandbox, string workingDirectory, string[] arguments, string input)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        return sandbox.RunAsync(arguments, new ChildProcessOptions { WorkingDirectory = workingDirectory, StandardInput = input });
    }

    /// <summary>Starts a client, gives it <paramref name="input"/> and end of file, and waits until it is logged in.</summary>
    /// <remarks>A scripted client reads all of its standard input before it connects, so the input is closed at once.</remarks>
    public static async Task<RunningProcess> StartAsync(CliSandbox sandbox, string workingDirectory, string[] arguments, string input)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var process = sandbox.Start(arguments, new ChildProcessOptions { WorkingDirectory = workingDirectory, StandardInput = input });
        process.CloseStandardInput();
        await process.WaitForOutputAsync("\"event\":\"session\"", stream: OutputStream.StandardOutput);
        return process;
    }
}

/// <summary>The JSON lines a <c>client --json</c> printed.</summary>
public sealed class ClientOutput
{
    private ClientOutput(IReadOnlyList<JsonObject> events) => Events = events;

    /// <summary>Every line, in order.</summary>
    public IReadOnlyList<JsonObject> Events { get; }

    /// <summary>The <c>session</c> event (after login).</summary>
    public JsonObject Session => Single("session");

    /// <summary>The <c>end</c> event.</summary>
    public JsonObject End => Single("end");

    /// <summary>The session id the client reported.</summary>
    public string SessionId => (string)Session["session_id"]!;

    /// <summary>The full path of the client's transcript.</summary>
    public string TranscriptPath(string workingDirectory) => Path.GetFullPath((string)Session["transcript"]!, workingDirectory);

    /// <summary>The chat messages received (notices left out), as author and text, in order of arrival.</summary>
    public IReadOnlyList<(string? From, string Text)> ChatMessages =>
        [.. Events.Where(e => Is(e, "message") && (string?)e["kind"] == "chat").Select(e => ((string?)e["from"], (string)e["text"]!))];

    /// <summary>Parses standard output; every non-empty line must be a JSON object.</summary>
    public static ClientOutput Parse(string standardOutput)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        var events = standardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonNode.Parse(line) as JsonObject ?? throw new FormatException($"not a JSON object: {line}"))
            .ToList();
        return new ClientOutput(events);
    }

    /// <summary>Parses the output of a finished run.</summary>
    public static ClientOutput Parse(ChildProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Parse(result.StandardOutput);
    }

    private JsonObject Single(string name)
    {
        var matches = Events.Where(e => Is(e, name)).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"expected one '{name}' event, found {matches.Count}");
    }

    private static bool Is(JsonObject e, string name) => (string?)e["event"] == name;
}
