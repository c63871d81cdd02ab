using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace SecureChat.Benchmarks.Evidence;

/// <summary>Starting one transcript file the way a session setup does (create with mode 0600, write a header line,
/// fsync) and removing it again, in a transcript folder that earlier runs already filled with
/// <see cref="EarlierFiles"/> files: flat (every file in one folder) or spread by day and by the first two hex
/// digits of the session id.</summary>
/// <remarks>The folder lives on the real disk (<c>SECURECHAT_BENCH_DISK</c>, default <c>/work/perf-scratch</c>):
/// <c>/tmp</c> may be tmpfs, where neither directory growth nor fsync costs what they cost on ext4.</remarks>
[MemoryDiagnoser]
[UnsupportedOSPlatform("windows")]
public class TranscriptCreateBenchmarks
{
    /// <summary>The same instant for every file: all of the earlier files share today's day folder, the worst case for
    /// the day-and-bucket layout.</summary>
    private static readonly DateTime Started = new(2025, 11, 24, 16, 0, 0, DateTimeKind.Utc);

    private static readonly byte[] Header = new byte[4_096];
    private string _root = null!;

    /// <summary>How transcript files are placed.</summary>
    public enum Layout
    {
        /// <summary><c>DIR/&lt;name&gt;.jsonl</c>.</summary>
        Flat,

        /// <summary><c>DIR/&lt;yyyy-MM-dd&gt;/&lt;first two hex digits of the session id&gt;/&lt;name&gt;.jsonl</c>.</summary>
        DayBucket,
    }

    /// <summary>Files earlier sessions left in the transcript folder.</summary>
    [Params(0, 10_000, 100_000)]
    public int EarlierFiles { get; set; }

    /// <summary>Where the files go.</summary>
    [Params(Layout.Flat, Layout.DayBucket)]
    public Layout Placement { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var disk = Environment.GetEnvironmentVariable("SECURECHAT_BENCH_DISK") is { Length: > 0 } d ? d : "/work/perf-scratch";
        _root = Path.Combine(disk, $"transcripts-{Environment.ProcessId}");
        Directory.CreateDirectory(_root);
        RandomNumberGenerator.Fill(Header);
        Header[^1] = (byte)'\n';
        for (var i = 0; i < EarlierFiles; i++)
        {
            File.Create(PathFor(NewSessionId())).Dispose();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    /// <summary>What a session setup waits for: the file created and its header handed to the operating system (its
    /// fsync comes with the first message), then removed so the folder keeps its size.</summary>
    [Benchmark]
    public long CreateWriteDelete() => Start(sync: false);

    /// <summary>The same with the header fsynced, as when the session's first line is committed.</summary>
    [Benchmark]
    public long CreateWriteSyncDelete() => Start(sync: true);

    private long Start(bool sync)
    {
        var path = PathFor(NewSessionId());
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        long length;
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Header);
            stream.Flush(flushToDisk: sync);
            length = stream.Length;
        }

        File.Delete(path);
        return length;
    }

    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The file's path, its folder created (mode 0700) when the layout has one per day and bucket.</summary>
    private string PathFor(string sessionId)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Started:yyyyMMdd'T'HHmmss'Z'}-server-{sessionId}.jsonl");
        if (Placement == Layout.Flat)
        {
            return Path.Combine(_root, name);
        }

        // As the writer does: the day folder, then the bucket folder, each created with its mode unless it exists.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var day = Path.Combine(_root, Started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var bucket = Path.Combine(day, sessionId[..2]);
        Directory.CreateDirectory(day, ownerOnly);
        Directory.CreateDirectory(bucket, ownerOnly);
        return Path.Combine(bucket, name);
    }
}
