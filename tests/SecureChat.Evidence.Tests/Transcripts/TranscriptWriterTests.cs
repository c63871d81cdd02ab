using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence.Tests.Transcripts;

/// <summary>The transcript file's shape and its group commit: lines in order, one record per line, readable only by
/// their owner, and every staged line on the disk after a commit or at the end of the session.</summary>
public sealed class TranscriptWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("securechat-transcript-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void LinesOfSeveralStepsReachTheFileInOrder()
    {
        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);
        var steps = Enumerable.Range(1, 3)
            .Select(seqno => new ProtocolOutput().With(new MessageSent(Direction.ServerToClient, Message(seqno), [(byte)seqno])));

        writer.Record([.. steps]);

        var records = Read(writer.Path);
        Assert.IsType<TranscriptHeader>(records[0]);
        Assert.Equal([1L, 2L, 3L], records.Skip(1).Cast<TranscriptMessageLine>().Select(m => m.Seqno));
        Assert.All(records.Skip(1).Cast<TranscriptMessageLine>(), m => Assert.Equal("s2c", m.Dir));
    }

    [Fact]
    public void TheHeaderLineIsInTheFileWholeAsSoonAsTheFileExists()
    {
        // No message yet, so no fsync: the header and its newline were handed to the operating system in one write,
        // so a process killed now leaves them whole.
        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);
        var text = File.ReadAllText(writer.Path);

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.IsType<TranscriptHeader>(Assert.Single(Read(writer.Path)));
    }

    [Fact]
    public void EndingASessionWithoutMessagesLeavesItsHeader()
    {
        string path;
        using (var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true))
        {
            path = writer.Path;
        }

        Assert.IsType<TranscriptHeader>(Assert.Single(Read(path)));
    }

    [Fact]
    public void PlaintextIsKeptWhenAsked()
    {
        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);
        writer.Record(new ProtocolOutput().With(new MessageSent(Direction.ClientToServer, Message(1), [1])));

        Assert.Equal(Convert.ToBase64String([1]), Assert.IsType<TranscriptMessageLine>(Read(writer.Path)[1]).Plaintext);
    }

    [Fact]
    public void PlaintextIsLeftOutWhenNotKept()
    {
        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: false);
        writer.Record(new ProtocolOutput().With(new MessageSent(Direction.ClientToServer, Message(1), [1, 2, 3])));

        Assert.Null(Assert.IsType<TranscriptMessageLine>(Read(writer.Path)[1]).Plaintext);
    }

    [Fact]
    public void RecordingStepsWithoutLinesIsHarmless()
    {
        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);
        writer.Record([]);
        writer.Record(new ProtocolOutput());

        Assert.Single(Read(writer.Path));
    }

    [Fact]
    public void TheFileIsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(writer.Path));
    }

    [Fact]
    public void ASecondFileForTheSameSessionIsRefusedRatherThanOverwritten()
    {
        using var first = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);

        Assert.Throws<IOException>(() => TranscriptWriter.Create(_directory, Header(), keepPlaintext: true));
    }

    [Fact]
    public void TheFileGoesInAFolderForItsDayAndOneForTheFirstTwoHexDigitsOfItsSession()
    {
        using var writer = TranscriptWriter.Create(_directory, Header(), keepPlaintext: true);

        // 1 764 000 000 000 ms after the epoch is 2025-11-24T16:00:00Z.
        Assert.Equal(Path.Combine(_directory, "2025-11-24", "00", "20251124T160000Z-server-00112233445566778899aabbccddeeff.jsonl"), writer.Path);
        if (!OperatingSystem.IsWindows())
        {
            var folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(folder, File.GetUnixFileMode(Path.Combine(_directory, "2025-11-24", "00")));
            Assert.Equal(folder, File.GetUnixFileMode(Path.Combine(_directory, "2025-11-24")));
        }
    }

    [Fact]
    public void SessionsOfOtherDaysOrBucketsLandApartAndThoseOfOneDayAndBucketTogether()
    {
        var first = Header();
        var nextDay = Header() with { SessionId = "00ffeeddccbbaa998877665544332211", StartedMs = first.StartedMs + 86_400_000 };
        var otherBucket = Header() with { SessionId = "ab112233445566778899aabbccddeeff" };
        var sameBucket = Header() with { SessionId = "00aabbccddeeff001122334455667788", StartedMs = first.StartedMs + 1_000 };

        var folders = new[] { first, nextDay, otherBucket, sameBucket }
            .Select(h => Path.GetRelativePath(_directory, Path.GetDirectoryName(TranscriptWriter.PathFor(_directory, h))!))
            .ToArray();

        Assert.Equal([Path.Combine("2025-11-24", "00"), Path.Combine("2025-11-25", "00"), Path.Combine("2025-11-24", "ab"), Path.Combine("2025-11-24", "00")], folders);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("AB112233")]
    [InlineData("a")]
    public void ASessionIdThatIsNotLowerCaseHexPicksNoFolder(string sessionId) =>
        Assert.Throws<ArgumentException>(() => TranscriptWriter.PathFor(_directory, Header() with { SessionId = sessionId }));

    private static List<TranscriptRecord> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var records = new List<TranscriptRecord>();
        while (reader.ReadLine() is { } line)
        {
            records.Add(TranscriptJson.TryParse(System.Text.Encoding.UTF8.GetBytes(line)) ?? throw new InvalidDataException($"not a record: {line}"));
        }

        return records;
    }

    private static TranscriptHeader Header() => new()
    {
        Version = 1,
        Side = "server",
        SessionId = "00112233445566778899aabbccddeeff",
        ClientCert = "client",
        ServerCert = "server",
        Username = "alice",
        StartedMs = 1_764_000_000_000,
        Handshake = ["AAAA"],
    };

    private static ChatMessage Message(long seqno) => new()
    {
        Seqno = seqno,
        Ts = 1_764_000_000_000 + seqno,
        Ct = "Y3Q=",
        Commit = "Y29tbWl0",
        Sig = "c2ln",
    };
}
