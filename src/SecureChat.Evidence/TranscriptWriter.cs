using System.Globalization;
using SecureChat.Protocol;

namespace SecureChat.Evidence;

/// <summary>Writes one session's transcript file (docs/PROTOCOL.md §4.8): JSON Lines, append-only, each line
/// flushed to the disk before the message it records is acted on, so a crash loses at most the lines in
/// flight and never corrupts an earlier one.</summary>
/// <remarks>A busy session records several protocol steps per disk flush (group commit):
/// <see cref="Record(IReadOnlyList{ProtocolOutput})"/> writes all their lines and makes them durable with one
/// fsync, which the caller does before it sends or shows anything those lines record.</remarks>
public sealed class TranscriptWriter : ITranscriptFile
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();
    private bool _staged;
    private bool _failed;

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

    /// <summary>Creates <see cref="PathFor"/> (mode 0600, in folders of mode 0700) and stages the header.</summary>
    public static TranscriptWriter Create(string directory, TranscriptHeader header, bool keepPlaintext)
    {
        var path = PathFor(directory, header);
        var bucket = System.IO.Path.GetDirectoryName(path)!;
        CreateFolder(System.IO.Path.GetDirectoryName(bucket)!);
        CreateFolder(bucket);
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

        // The header line is written whole, with its newline, in one write and handed to the operating system, so a
        // process killed right after leaves a whole header. Its fsync comes with the session's first message or
        // receipt line (or its end): until then nothing it records has been acted on but the handshake itself, and a
        // session setup does not wait for the disk. A header that cannot be written leaves no file behind.
        var writer = new TranscriptWriter(path, new FileStream(path, options), keepPlaintext);
        try
        {
            writer.Write(header);
            writer._stream.Flush(flushToDisk: false);
            return writer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            writer.Abandon();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Where a session's transcript goes:
    /// <c>DIR/&lt;yyyy-MM-dd&gt;/&lt;first two hex digits of the session id&gt;/&lt;utc start&gt;-&lt;side&gt;-&lt;session id&gt;.jsonl</c>,
    /// the day being the session's start in UTC.</summary>
    /// <remarks>Creating a file costs more the more entries its folder holds; one folder per day and 256 buckets
    /// under it (session ids are random) keep every folder small at any session rate and however many days a host
    /// keeps. The file name alone still says when, which side and which session.</remarks>
    public static string PathFor(string directory, TranscriptHeader header)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(header);
        if (header.SessionId is not [var first, var second, ..] || !IsLowerHex(first) || !IsLowerHex(second))
        {
            // The session id becomes part of a path: nothing but lower-case hex may pick a folder.
            throw new ArgumentException($"the session id '{header.SessionId}' is not lower-case hex", nameof(header));
        }

        var started = DateTimeOffset.FromUnixTimeMilliseconds(header.StartedMs).UtcDateTime;
        var name = string.Create(CultureInfo.InvariantCulture, $"{started:yyyyMMdd'T'HHmmss'Z'}-{header.Side}-{header.SessionId}.jsonl");
        var day = started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return System.IO.Path.Combine(directory, day, header.SessionId[..2], name);
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
    /// durable header. After a failed write nothing more is flushed (the session has already ended with
    /// <c>INTERNAL</c>); the file keeps its whole lines.</remarks>
    public void Dispose()
    {
        if (_failed)
        {
            Abandon();
            return;
        }

        lock (_gate)
        {
            try
            {
                Commit();
            }
            catch (IOException)
            {
                _failed = true;
            }
            finally
            {
                if (!_failed)
                {
                    _stream.Dispose();
                }
            }
        }

        if (_failed)
        {
            Abandon();
        }
    }

    /// <summary>Flushes every written line to the disk (one fsync); nothing when none is pending. Called under the lock.</summary>
    private void Commit()
    {
        if (_failed)
        {
            throw new IOException("an earlier write to this transcript failed");
        }

        if (_staged)
        {
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                _failed = true;
                throw;
            }

            _staged = false;
        }
    }

    private void Write(TranscriptRecord record)
    {
        var json = TranscriptJson.Serialize(record);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        lock (_gate)
        {
            if (_failed)
            {
                throw new IOException("an earlier write to this transcript failed");
            }

            // Lines only ever go to the end of the file, each in one write: a crash can tear at most the lines not yet
            // committed, and never splits a line from its newline.
            try
            {
                _stream.Write(line);
                _staged = true;
            }
            catch (IOException)
            {
                _failed = true;
                throw;
            }
        }
    }

    private static bool IsLowerHex(char c) => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';

    /// <summary>Creates a transcript folder, readable by its owner only, unless it exists.</summary>
    /// <remarks>Only the folder itself gets the mode: missing parents are made with the default one. The folder
    /// entries are made durable the way the file's own entry is: by the file's first fsync, which on a journaling file
    /// system commits the metadata created before it; no folder, like no file's parent, is fsynced on its own.</remarks>
    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Closes the file without flushing what a failed write left buffered.</summary>
    private void Abandon()
    {
        lock (_gate)
        {
            _failed = true;
            try
            {
                _stream.Dispose();
            }
            catch (IOException)
            {
                // The bytes a full disk refused stay unwritten; the file holds its whole lines.
            }
        }
    }
}
