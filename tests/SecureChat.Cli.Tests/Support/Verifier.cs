using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests.Support;

/// <summary>Runs <c>securechat verify</c>, the offline auditor, and reads its <c>--json</c> reports.</summary>
public static class Verifier
{
    /// <summary><c>securechat verify --ca CA FILES</c> (the human-readable tables).</summary>
    public static Task<ChildProcessResult> RunAsync(string caCertificate, params string[] files) =>
        CliProcess.RunAsync(["verify", "--ca", caCertificate, .. files]);

    /// <summary><c>securechat verify --json --ca CA FILES</c>: the run and one report per file, in order (the
    /// closing <c>{"totals": …}</c> line left out).</summary>
    public static async Task<(ChildProcessResult Result, IReadOnlyList<JsonObject> Reports)> RunJsonAsync(string caCertificate, params string[] files)
    {
        var result = await CliProcess.RunAsync(["verify", "--json", "--ca", caCertificate, .. files]);
        CliAssert.NoStackTrace(result);
        var reports = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonNode.Parse(line) as JsonObject ?? throw new FormatException($"not a JSON report: {line}"))
            .Where(record => !record.ContainsKey("totals"))
            .ToList();
        Assert.True(reports.Count == files.Length, $"expected {files.Length} reports, got {result}");
        return (result, reports);
    }

    /// <summary>The single report of a one-file <c>verify --json</c>, with its exit code.</summary>
    public static async Task<(int ExitCode, JsonObject Report)> VerifyOneAsync(string caCertificate, string file)
    {
        var (result, reports) = await RunJsonAsync(caCertificate, file);
        return (result.ExitCode, reports[0]);
    }

    /// <summary>Asserts that a report accepts its file without any error.</summary>
    public static void AssertAccepted(JsonObject report, bool complete)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.True((bool)report["accepted"]!, $"not accepted: {report}");
        Assert.True((bool)report["complete"]! == complete, $"expected complete={complete}: {report}");
        Assert.True(report["first_failure"] is null, $"unexpected failure: {report}");
    }

    /// <summary>Asserts that a report rejects its file with <paramref name="kind"/> on <paramref name="lineNumber"/>.</summary>
    public static void AssertRejected(JsonObject report, string kind, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.False((bool)report["accepted"]!, $"accepted: {report}");
        Assert.False((bool)report["complete"]!, $"complete: {report}");
        var failure = report["first_failure"] as JsonObject ?? throw new InvalidOperationException($"no first_failure: {report}");
        Assert.True((string?)failure["kind"] == kind && (int)failure["line_number"]! == lineNumber,
            $"expected {kind} on line {lineNumber}: {failure}");
        Assert.Equal("error", (string?)failure["severity"]);
    }
}
