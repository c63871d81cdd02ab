using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SecureChat.Cli.Tests;

/// <summary><c>securechat demo</c>, the first command of the README.</summary>
public sealed partial class DemoTests
{
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_demo_runs_every_step_to_completion()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["demo"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);
        Assert.Contains("demo complete", result.StandardOutput, StringComparison.Ordinal);
        foreach (var step in new[] { "1. Authenticity", "5. Non-repudiation", "6. Offline audit", "7. Tamper evidence" })
        {
            Assert.Contains(step, result.StandardOutput, StringComparison.Ordinal);
        }

        // The console wraps long lines at its width; the sentences are compared with the line breaks taken out.
        var output = WhiteSpace().Replace(result.StandardOutput, " ");
        Assert.Contains("alice made a key in users/alice/ (mode 0600) and a request; the CA signed CN=alice@example.org", output, StringComparison.Ordinal);
        Assert.Contains("bob made a key in users/bob/ (mode 0600) and a request; the CA signed CN=bob@example.org", output, StringComparison.Ordinal);
        Assert.Contains("each user made their own key: the CA saw only the requests' public keys, never a private key", output, StringComparison.Ordinal);
        Assert.Contains("identity mode per-user", output, StringComparison.Ordinal);
        Assert.Contains("alice connected with CN=alice@example.org", output, StringComparison.Ordinal);
        Assert.Contains("the copy carries alice@example.org's own signature", output, StringComparison.Ordinal);
        Assert.Matches(AuthorProofLine(), output);

        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Path));
    }

    [Fact]
    public async Task The_files_a_kept_demo_leaves_pass_the_verify_command_and_the_tampered_copy_does_not()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["demo", "--keep", "kept"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);
        Assert.Contains("demo complete", result.StandardOutput, StringComparison.Ordinal);
        var ca = sandbox.File("kept/pki/ca.crt");
        var transcripts = Directory.GetFiles(sandbox.File("kept"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(4, transcripts.Length);
        var (verified, reports) = await Verifier.RunJsonAsync(ca, transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.All(reports, r => Verifier.AssertAccepted(r, complete: true));

        var tampered = Assert.Single(Directory.GetFiles(sandbox.File("kept"), "*.tampered", SearchOption.AllDirectories));
        var (exitCode, report) = await Verifier.VerifyOneAsync(ca, tampered);
        Assert.Equal(1, exitCode);
        Assert.Equal("bad_message_signature", (string?)report["first_failure"]!["kind"]);
    }

    [Fact]
    public async Task A_kept_demo_runs_in_per_user_mode_and_bobs_transcript_proves_alices_message_by_her_own_key()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["demo", "--keep", "kept"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);

        // Each user's key, request and certificate are in that user's folder; the CA's folder holds no client key.
        foreach (var name in new[] { "alice", "bob" })
        {
            var key = sandbox.File($"kept/users/{name}/{name}@example.org.key");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            Assert.True(File.Exists(sandbox.File($"kept/users/{name}/{name}@example.org.csr")));
            using var certificate = SecureChat.Pki.PemFiles.LoadCertificate(sandbox.File($"kept/users/{name}/{name}@example.org.crt"));
            Assert.Equal($"CN={name}@example.org", certificate.Subject);
        }

        Assert.Equal(["ca.crt", "ca.key", "server.crt", "server.key"],
            Directory.GetFiles(sandbox.File("kept/pki")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var clientFiles = Directory.GetFiles(sandbox.File("kept/client-transcripts"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var (verified, reports) = await Verifier.RunJsonAsync(sandbox.File("kept/pki/ca.crt"), clientFiles);
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(["CN=alice@example.org", "CN=bob@example.org"], reports.Select(r => (string?)r["client_certificate_subject"]));

        // The auditor's report of bob's file: the relayed copy of alice's message is proven by alice's certificate.
        var bobs = reports[Array.FindIndex(clientFiles, f => f.Contains($"{Path.DirectorySeparatorChar}bob{Path.DirectorySeparatorChar}", StringComparison.Ordinal))];
        var fromAlice = bobs["messages"]!.AsArray().OfType<JsonObject>().Where(m => (string?)m["from"] == "alice").ToList();
        Assert.Equal(2, fromAlice.Count);
        var relayed = fromAlice[0];
        Assert.Equal(("author", "alice@example.org", "CN=alice@example.org", "#lobby", "Hi Bob, the meeting is at 10."),
            ((string?)relayed["proof"], (string?)relayed["author"], (string?)relayed["author_subject"], (string?)relayed["to"], (string?)relayed["text"]));
        var at = DateTimeOffset.FromUnixTimeMilliseconds((long)relayed["author_ts"]!).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"to #lobby at {at} — signed by alice's own key", WhiteSpace().Replace(result.StandardOutput, " "), StringComparison.Ordinal);

        // The room message, and bob's direct message in alice's file: each proven by its author's own key.
        Assert.Equal(("author", "#ops", "The deploy of 2.1 starts at 10:30."), ((string?)fromAlice[1]["proof"], (string?)fromAlice[1]["to"], (string?)fromAlice[1]["text"]));
        var alices = reports[Array.FindIndex(clientFiles, f => f.Contains($"{Path.DirectorySeparatorChar}alice{Path.DirectorySeparatorChar}", StringComparison.Ordinal))];
        var direct = Assert.Single(alices["messages"]!.AsArray().OfType<JsonObject>(), m => (string?)m["to"] == "@alice");
        Assert.Equal(("bob", "author", "bob@example.org"), ((string?)direct["from"], (string?)direct["proof"], (string?)direct["author"]));
        Assert.Contains("a direct message: alice alone received from bob", WhiteSpace().Replace(result.StandardOutput, " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kept_demo_is_never_overwritten_without_force()
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("kept/pki"));
        File.WriteAllText(sandbox.File("kept/pki/ca.crt"), "the CA the kept transcripts need");

        var result = await sandbox.RunAsync("demo", "--keep", "kept");

        CliAssert.FailedWithOneSentence(result, "--force");
        Assert.Equal("the CA the kept transcripts need", File.ReadAllText(sandbox.File("kept/pki/ca.crt")));
    }

    [Fact]
    public async Task With_force_a_kept_demo_is_replaced_whole_and_everything_in_it_verifies()
    {
        using var sandbox = new CliSandbox();
        Directory.CreateDirectory(sandbox.File("kept/pki"));
        Directory.CreateDirectory(sandbox.File("kept/server-transcripts"));
        File.WriteAllText(sandbox.File("kept/pki/ca.crt"), "an older CA");
        File.WriteAllText(sandbox.File("kept/server-transcripts/old.jsonl"), "{}\n");

        var result = await sandbox.RunAsync(["demo", "--keep", "kept", "--force"], new ChildProcessOptions { Timeout = DemoTimeout });

        CliAssert.Succeeded(result);
        var transcripts = Directory.GetFiles(sandbox.File("kept"), "*.jsonl", SearchOption.AllDirectories);
        Assert.Equal(4, transcripts.Length);
        var (verified, _) = await Verifier.RunJsonAsync(sandbox.File("kept/pki/ca.crt"), transcripts);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex("""bob's transcript proves: alice@example\.org said "Hi Bob, the meeting is at 10\." to #lobby at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ — signed by alice's own key \(CN=alice@example\.org, proof: author\)""")]
    private static partial Regex AuthorProofLine();
}
