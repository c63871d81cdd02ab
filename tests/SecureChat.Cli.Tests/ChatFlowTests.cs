using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests;

/// <summary>The whole system through the commands a user runs: <c>pki init</c>, <c>server</c>, scripted <c>client</c>s
/// and <c>verify</c>, each a real process talking over loopback (see <see cref="RecordedChat"/>).</summary>
[Collection(RecordedChatCollection.Name)]
public sealed class ChatFlowTests(RecordedChat chat)
{
    [Fact]
    public void Every_client_exits_0_after_receipts_that_matched()
    {
        foreach (var (name, result) in new[] { ("alice", chat.Alice), ("bob", chat.Bob), ("carol", chat.Carol) })
        {
            CliAssert.Succeeded(result);
            var output = ClientOutput.Parse(result);
            Assert.Equal(name, (string?)output.Session["username"]);
            Assert.Matches("^[0-9a-f]{32}$", output.SessionId);
            Assert.True((bool)output.End["receipts_matched"]!, $"{name}: {result}");
            Assert.Null(output.End["error"]);
            Assert.Equal(output.TranscriptPath(chat.WorkingDirectory), Path.GetFullPath((string)output.End["transcript"]!, chat.WorkingDirectory));
        }
    }

    [Fact]
    public void Messages_arrive_with_their_author_and_text_in_each_senders_order()
    {
        var atBob = ClientOutput.Parse(chat.Bob).ChatMessages;
        var atAlice = ClientOutput.Parse(chat.Alice).ChatMessages;

        // alice and carol send independently; only the order of each one's own messages is defined.
        Assert.Equal(4, atBob.Count);
        Assert.Equal(chat.AliceLines, atBob.Where(m => m.From == "alice").Select(m => m.Text));
        Assert.Equal(chat.CarolMessages, atBob.Where(m => m.From == "carol").Select(m => m.Text));
        Assert.Equal(chat.CarolMessages.Select(text => ((string?)"carol", text)), atAlice);
        Assert.Empty(ClientOutput.Parse(chat.Carol).ChatMessages);
    }

    [Fact]
    public void The_server_ends_on_SIGTERM_with_exit_code_0()
    {
        Assert.True(chat.Server.ExitCode == 0, chat.Server.ToString());
        Assert.Contains("every open session was ended with receipts", chat.Server.StandardOutput, StringComparison.Ordinal);
        CliAssert.NoStackTrace(chat.Server);
    }

    [Fact]
    public void Each_side_keeps_one_transcript_per_session_with_owner_only_access()
    {
        Assert.Equal(3, chat.ServerTranscripts.Count);
        Assert.Equal(3, chat.ClientTranscripts.Count);
        foreach (var file in chat.ServerTranscripts.Concat(chat.ClientTranscripts))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var sessions = new[] { chat.Alice, chat.Bob, chat.Carol }.Select(r => ClientOutput.Parse(r).SessionId).Order().ToList();
        Assert.Equal(sessions, chat.ServerTranscripts.Select(SessionOf).Order());
        Assert.Equal(sessions, chat.ClientTranscripts.Select(SessionOf).Order());
    }

    [Fact]
    public async Task Verify_accepts_every_transcript_of_both_sides()
    {
        string[] files = [.. chat.ServerTranscripts, .. chat.ClientTranscripts];
        Assert.Equal(6, files.Length);

        var result = await Verifier.RunAsync(chat.CaCertificate, files);

        CliAssert.Succeeded(result);
        Assert.Equal(6, CountOf("ACCEPTED, complete", result.StandardOutput));
        Assert.DoesNotContain("incomplete", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("REJECTED", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_json_says_accepted_and_complete_and_counts_what_was_checked()
    {
        string[] files = [.. chat.ServerTranscripts, .. chat.ClientTranscripts];

        var (result, reports) = await Verifier.RunJsonAsync(chat.CaCertificate, files);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.StandardError);
        foreach (var (file, report) in files.Zip(reports))
        {
            Verifier.AssertAccepted(report, complete: true);
            Assert.Empty(report["findings"]!.AsArray());
            Assert.False((bool)report["truncated"]!);
            Assert.Equal(SessionOf(file), (string?)report["session_id"]);
            Assert.Equal(2, (int)report["receipts_verified"]!);
            Assert.Equal("CN=client.local", (string?)report["client_certificate_subject"]);
            Assert.Equal("CN=server.local", (string?)report["server_certificate_subject"]);
            var messages = (int)report["messages_verified"]!;
            Assert.True(messages > 0, report.ToJsonString());
            Assert.Equal(messages, (int)report["client_to_server_messages"]! + (int)report["server_to_client_messages"]!);

            // The client keeps each plaintext, the server does not (no --keep-plaintext): the auditor checks what is there.
            var side = (string?)report["side"];
            Assert.Equal(chat.ServerTranscripts.Contains(file) ? "server" : "client", side);
            Assert.Equal(side == "client" ? messages : 0, (int)report["plaintexts_verified"]!);
        }

        var alice = reports[Array.IndexOf(files, chat.AliceTranscript)];
        Assert.Equal("alice", (string?)alice["username"]);
        Assert.Equal(2, (int)alice["client_to_server_messages"]!);
        Assert.Equal(2, (int)alice["server_to_client_messages"]!);
        AssertCovers(alice["client_receipt"], 2, 2);
        AssertCovers(alice["server_receipt"], 2, 2);
    }

    private static void AssertCovers(JsonNode? receipt, int c2s, int s2c)
    {
        Assert.NotNull(receipt);
        Assert.Equal(c2s, (int)receipt["c2s_last_seq"]!);
        Assert.Equal(s2c, (int)receipt["s2c_last_seq"]!);
    }

    // Files are named <utc start>-<side>-<session id>.jsonl.
    private static string SessionOf(string file) => Path.GetFileNameWithoutExtension(file).Split('-')[^1];

    private static int CountOf(string text, string within) =>
        (within.Length - within.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;
}
