using System.Text.Json;

namespace SecureChat.Evidence.Tests.Audit;

public sealed class AuditReportJsonTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public void Accepted_report_is_snake_case_json()
    {
        using var json = JsonDocument.Parse(fixture.ClientFile.Audit().ToJson());
        var root = json.RootElement;

        Assert.True(root.GetProperty("accepted").GetBoolean());
        Assert.True(root.GetProperty("complete").GetBoolean());
        Assert.Equal("client", root.GetProperty("side").GetString());
        Assert.Equal(4, root.GetProperty("client_to_server_messages").GetInt64());
        Assert.Equal(3, root.GetProperty("server_receipt").GetProperty("s2c_last_seq").GetInt64());
        Assert.Equal(7, root.GetProperty("messages_verified").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("first_failure").ValueKind);
        Assert.Equal(0, root.GetProperty("findings").GetArrayLength());
        Assert.False(root.TryGetProperty("verified_in_parallel", out _));
    }

    [Fact]
    public void Failure_is_described_with_its_line_kind_and_reason()
    {
        var file = fixture.ClientFile;
        var line = file.LineOf("c2s", 2);
        file.Edit<TranscriptMessageLine>(line, m => m with { Ts = m.Ts - 1 });

        using var json = JsonDocument.Parse(file.Audit().ToJson());
        var failure = json.RootElement.GetProperty("first_failure");

        Assert.False(json.RootElement.GetProperty("accepted").GetBoolean());
        Assert.Equal(line, failure.GetProperty("line_number").GetInt32());
        Assert.Equal("bad_message_signature", failure.GetProperty("kind").GetString());
        Assert.Equal("error", failure.GetProperty("severity").GetString());
        Assert.Contains("c2s message 2", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_are_listed_after_acceptance()
    {
        var file = fixture.ClientFile;
        var bytes = file.Bytes();

        using var json = JsonDocument.Parse(file.AuditBytes(bytes[..^10]).ToJson());
        var kinds = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToList();

        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Contains("truncated_line", kinds);
        Assert.Contains("incomplete", kinds);
    }
}
