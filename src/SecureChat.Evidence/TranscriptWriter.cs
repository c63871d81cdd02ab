using System.Globalization;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Evidence;

/// <summary>Writes one session's transcript file (docs/PROTOCOL.md §4.8): JSON Lines, append-only, each line
/// flushed to the disk before the message it records is acted on, so a crash loses at most the lines in
/// flight and never corrupts an earlier one.</summary>
/// <remarks>A busy session records several protocol steps per disk flush (group commit):
/// <see cref="Record(IReadOnlyList{ProtocolOutput})"/> writes all their lines and makes them durable with one
/// fsync, which the caller does before it sends or shows anything those lines record.</remarks>
public sealed class TranscriptWriter : IEvidenceRecorder, IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly FileStream _stream;
    private readonly Lock _gate = new();
    private bool _staged;

    private TranscriptWriter(string path, FileStream stream, bool keepPlaintext)
    {
        Path = path;
        _stream = stream;
        KeepsPlaintext = keepPlaintext;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Whether message plaintext is kept (always on a client, the owner's record; configurable on a server).</summary>
    public bool KeepsPlaintext { get; }

    /// <summary>Creates <c>DIR/&lt;utc start&gt;-&lt;side&gt;-&lt;session id&gt;.jsonl</c> (mode 0600) and stages the header.</summary>
    public static TranscriptWriter Create(string directory, TranscriptHeader header, bool keepPlaintext)
    {
        ArgumentNullException.ThrowIfNull(header);
        Directory.CreateDirectory(directory);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(header.StartedMs).UtcDateTime;
        var name = string.Create(CultureInfo.InvariantCulture, $"{started:yyyyMMdd'T'HHmmss'Z'}-{header.Side}-{header.SessionId}.jsonl");
        var path = System.IO.Path.Combine(directory, name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Transcripts may hold plaintext: readable by their owner only.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // The header is staged, not flushed: it becomes durable with the session's first message or receipt line,
        // or when the session ends without any. Until then nothing it records has been acted on but the handshake
        // itself, and a session setup does not wait for a disk flush.
        var writer = new TranscriptWriter(path, new FileStream(path, options), keepPlaintext);
        writer.Write(header);
        return writer;
    }

    /// <summary>Writes a line for every message and receipt a protocol step produced, in order, and flushes them
    /// to the disk: call it before any frame of that step is sent or any message shown.</summary>
    public void Record(ProtocolOutput output) => Record([output]);

    /// <summary>Writes the lines of several protocol steps, in order, and flushes them with one fsync: call it before
    /// any frame of those steps is sent or any message shown.</summary>
    public void Record(IReadOnlyList<ProtocolOutput> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var e in steps.SelectMany(o => o.Events))
        {
            var record = e switch
            {
                MessageSent m => TranscriptJson.ToLine(m.Direction, m.Message, KeepsPlaintext ? m.Plaintext : null),
                MessageReceived m => TranscriptJson.ToLine(m.Direction, m.Message, KeepsPlaintext ? m.Plaintext : null),
                ReceiptSent r => TranscriptJson.ToLine(r.Receipt),
                ReceiptReceived r => TranscriptJson.ToLine(r.Receipt),
                _ => (TranscriptRecord?)null,
            };
            if (record is not null)
            {
                Write(record);
            }
        }

        lock (_gate)
        {
            Commit();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Flushes staged lines to the disk first: a session that ends without a message still leaves a
    /// durable header.</remarks>
    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                Commit();
            }
            finally
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>Flushes every written line to the disk (one fsync); nothing when none is pending. Called under the lock.</summary>
    private void Commit()
    {
        if (_staged)
        {
            _stream.Flush(flushToDisk: true);
            _staged = false;
        }
    }

    private void Write(TranscriptRecord record)
    {
        var line = TranscriptJson.Serialize(record);
        lock (_gate)
        {
            // Lines only ever go to the end of the file: a crash can tear at most the lines not yet committed.
            _stream.Write(line);
            _stream.Write(NewLine);
            _staged = true;
        }
    }
}
