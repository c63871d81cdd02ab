using SecureChat.Evidence;

namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>Reads transcript files strictly: every line must parse on its own, and the first must be the header.</summary>
internal static class ServerTranscript
{
    /// <summary>The server's file for the session <paramref name="sessionId"/> (hex), parsed line by line.</summary>
    public static Task<List<TranscriptRecord>> ReadAsync(RunningServer server, string sessionId)
    {
        var files = Directory.GetFiles(server.ServerTranscripts, $"*-server-{sessionId}.jsonl", SearchOption.AllDirectories);
        Assert.True(files.Length == 1, $"expected one server transcript for session {sessionId}, found {files.Length}");
        return ReadFileAsync(files[0]);
    }

    /// <summary>Parses a transcript file line by line with <see cref="TranscriptJson.TryParse"/>.</summary>
    public static async Task<List<TranscriptRecord>> ReadFileAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 0 && bytes[^1] == (byte)'\n', $"{Path.GetFileName(path)} does not end with a complete line");
        var records = new List<TranscriptRecord>();
        var rest = bytes.AsMemory(0, bytes.Length - 1);
        var number = 0;
        while (true)
        {
            number++;
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            var record = TranscriptJson.TryParse(line.Span);
            Assert.True(record is not null, $"{Path.GetFileName(path)} line {number} does not parse");
            records.Add(record);
            if (end < 0)
            {
                break;
            }

            rest = rest[(end + 1)..];
        }

        Assert.IsType<TranscriptHeader>(records[0]);
        Assert.DoesNotContain(records.Skip(1), r => r is TranscriptHeader);
        return records;
    }
}
