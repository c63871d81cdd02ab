using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureChat.Evidence.Audit;
using SecureChat.Pki;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Tests;

/// <summary>Edited author evidence in a real recipient transcript: alice's file of <see cref="RecordedChat"/> (a real
/// server and scripted clients over loopback) holds carol's two messages as relayed copies (s2c 1 and 2), each with the
/// <c>origin</c> the server copied from carol's session (protocol §9.6.2). Every origin member and the copy's text is
/// edited in turn, and both the auditor and <c>securechat verify --json</c> must reject the file on that copy's line.</summary>
/// <remarks>The origin lives inside the copy's plaintext, to which the server committed and which it signed: an edit of
/// any of its bytes no longer opens the server's commitment, a check the auditor makes before the origin's (§15.2 item 6
/// before item 8), so these files fail as <c>commit_mismatch</c>. That is a correct rejection at the right line; a copy
/// the server signed with a bad origin in it is rejected as <c>bad_origin</c> (SecureChat.Evidence.Tests,
/// <c>OriginTamperingTests</c>).</remarks>
[Collection(RecordedChatCollection.Name)]
public sealed class OriginTamperingTests(RecordedChat chat) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public static TheoryData<string> Members => ["session_id", "seqno", "ts", "ct", "commit", "sig", "plaintext", "cert", "text"];

    [Fact]
    public void The_recipient_transcript_holds_relayed_copies_that_carry_an_origin()
    {
        var transcript = TranscriptEditor.Load(chat.AliceTranscript);

        foreach (var seqno in new[] { 1L, 2L })
        {
            var copy = PlaintextOf(transcript.Line(transcript.MessageLine("s2c", seqno)));
            Assert.Equal("carol", (string?)copy["from"]);
            Assert.Equal(chat.CarolMessages[(int)seqno - 1], (string?)copy["text"]);
            Assert.Equal(8, copy["origin"]!.AsObject().Count);
        }
    }

    [Theory]
    [MemberData(nameof(Members))]
    public async Task An_edited_member_of_a_relayed_copy_is_rejected_on_the_copys_line(string member)
    {
        var transcript = TranscriptEditor.Load(chat.AliceTranscript);
        var line = transcript.MessageLine("s2c", 1);
        transcript.Edit(line, "plaintext", plaintext => EditPlaintext(plaintext, member));

        var file = transcript.Save(_directory.File($"{member}.jsonl"));

        var report = Audit(file);
        Assert.False(report.Accepted);
        Assert.Equal((line, AuditFindingKind.CommitMismatch), (report.FirstFailure!.LineNumber, report.FirstFailure.Kind));
        var (exitCode, json) = await Verifier.VerifyOneAsync(chat.CaCertificate, file);
        Assert.Equal(1, exitCode);
        Verifier.AssertRejected(json, "commit_mismatch", line);
    }

    [Fact]
    public async Task An_edited_origin_with_the_commitment_recomputed_fails_the_servers_signature_on_that_line()
    {
        var transcript = TranscriptEditor.Load(chat.AliceTranscript);
        var line = transcript.MessageLine("s2c", 2);
        var edited = "";
        transcript.Edit(line, "plaintext", plaintext => edited = EditPlaintext(plaintext, "sig"));
        transcript.Edit(line, "commit", _ => Convert.ToBase64String(MessageEnvelope.Commitment(Convert.FromBase64String(edited))));

        var file = transcript.Save(_directory.File("recommitted.jsonl"));

        var failure = Audit(file).FirstFailure!;
        Assert.Equal((line, AuditFindingKind.BadMessageSignature), (failure.LineNumber, failure.Kind));
        var (exitCode, json) = await Verifier.VerifyOneAsync(chat.CaCertificate, file);
        Assert.Equal(1, exitCode);
        Verifier.AssertRejected(json, "bad_message_signature", line);
    }

    public void Dispose() => _directory.Dispose();

    private AuditReport Audit(string file)
    {
        using var ca = PemFiles.LoadCertificate(chat.CaCertificate);
        using var stream = File.OpenRead(file);
        return TranscriptAuditor.Audit(stream, ca);
    }

    private static JsonObject PlaintextOf(string line) =>
        JsonNode.Parse(Convert.FromBase64String((string)JsonNode.Parse(line)!["plaintext"]!))!.AsObject();

    /// <summary>The base64 plaintext of a relayed copy with one member's value changed in place (inside <c>origin</c>,
    /// or the copy's own <c>text</c>); every other byte stays as the server encoded it.</summary>
    private static string EditPlaintext(string plaintext, string member)
    {
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(plaintext));
        var origin = json.IndexOf("\"origin\":{", StringComparison.Ordinal);
        Assert.True(origin > 0, json);
        var key = member == "text" ? json.IndexOf("\"text\":", StringComparison.Ordinal) : json.IndexOf($"\"{member}\":", origin, StringComparison.Ordinal);
        Assert.True(key >= 0 && (member == "text") == (key < origin), $"{member} in {json}");
        var start = key + member.Length + 3;
        var end = ValueEnd(json, start);
        var value = json[start..end];
        var edited = member switch
        {
            "seqno" or "ts" => (long.Parse(value, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture),
            "session_id" => JsonSerializer.Serialize(TranscriptEditor.FlipHex(JsonSerializer.Deserialize<string>(value)!)),
            "text" => JsonSerializer.Serialize(JsonSerializer.Deserialize<string>(value) + " (edited)"),
            _ => JsonSerializer.Serialize(TranscriptEditor.FlipBase64(JsonSerializer.Deserialize<string>(value)!)),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json[..start] + edited + json[end..]));
    }

    // The end of the JSON string or number that starts at `start`.
    private static int ValueEnd(string json, int start)
    {
        var i = start;
        if (json[i] == '"')
        {
            for (i++; json[i] != '"'; i += json[i] == '\\' ? 2 : 1)
            {
            }

            return i + 1;
        }

        while (char.IsAsciiDigit(json[i]) || json[i] == '-')
        {
            i++;
        }

        return i;
    }
}
