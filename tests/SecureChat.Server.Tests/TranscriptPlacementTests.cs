using System.Globalization;
using SecureChat.Evidence;

namespace SecureChat.Server.Tests;

/// <summary>A server session's transcript goes to <c>DIR/&lt;day&gt;/&lt;bucket&gt;/&lt;name&gt;.jsonl</c>, readable by
/// the server's user only, and the client's own record is placed the same way.</summary>
public sealed class TranscriptPlacementTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerReadWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task A_server_session_transcript_lands_in_its_day_and_bucket_folder_with_owner_only_modes()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (alice, _) = await server.RegisterAsync("alice");
        string sessionId;
        string clientTranscript;
        await using (alice)
        {
            sessionId = alice.SessionId!;
            clientTranscript = alice.TranscriptPath!;
        }

        var file = Assert.Single(Directory.GetFiles(server.ServerTranscripts, "*.jsonl", SearchOption.AllDirectories));
        var header = Assert.IsType<TranscriptHeader>(TranscriptJson.TryParse(System.Text.Encoding.UTF8.GetBytes(File.ReadLines(file).First())));
        var started = DateTimeOffset.FromUnixTimeMilliseconds(header.StartedMs).UtcDateTime;
        var day = Path.Combine(server.ServerTranscripts, started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var bucket = Path.Combine(day, sessionId[..2]);
        Assert.Equal(
            Path.Combine(bucket, string.Create(CultureInfo.InvariantCulture, $"{started:yyyyMMdd'T'HHmmss'Z'}-server-{sessionId}.jsonl")),
            file);
        var clientBucket = Path.GetDirectoryName(clientTranscript)!;
        var clientDay = Path.GetDirectoryName(clientBucket)!;
        Assert.Equal(sessionId[..2], Path.GetFileName(clientBucket));
        Assert.Equal(Path.Combine(server.Root, "client-transcripts", "alice"), Path.GetDirectoryName(clientDay));
        Assert.True(DateOnly.TryParseExact(Path.GetFileName(clientDay), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), clientDay);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(bucket));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(day));
        }
    }
}
