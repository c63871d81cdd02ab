using System.Globalization;
using SecureChat.Protocol;
using SecureChat.Protocol.Evidence;
using SecureChat.Protocol.Messages;

namespace SecureChat.Storage.Transcripts;

/// <summary>Writes one session's transcript file (docs/PROTOCOL.md §4.8): JSON Lines, append-only, each line
/// flushed to the disk before the message it records is acted on, so a crash loses at most the line in
/// flight and never corrupts an earlier one.</summary>
public sealed class TranscriptWriter : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    private TranscriptWriter(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Creates <c>DIR/&lt;utc start&gt;-&lt;side&gt;-&lt;session id&gt;.jsonl</c> (mode 0600) and writes the header.</summary>
    public static TranscriptWriter Create(string directory, TranscriptHeader header)
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

        var writer = new TranscriptWriter(path, new FileStream(path, options));
        writer.Append(header);
        return writer;
    }

    /// <summary>Appends a message line and flushes it to the disk.</summary>
    public void AppendMessage(Direction direction, ChatMessage message, byte[]? plaintext) =>
        Append(TranscriptJson.ToLine(direction, message, plaintext));

    /// <summary>Appends a receipt line and flushes it to the disk.</summary>
    public void AppendReceipt(ReceiptMessage receipt) => Append(TranscriptJson.ToLine(receipt));

    /// <summary>Writes a line for every message and receipt a protocol step produced, in order, before any frame
    /// of that step is sent or any message shown.</summary>
    /// <param name="output">The step's output.</param>
    /// <param name="keepPlaintext">Whether message plaintext is kept (always on a client; configurable on a server).</param>
    public void Record(ProtocolOutput output, bool keepPlaintext)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var e in output.Events)
        {
            switch (e)
            {
                case MessageSent m:
                    AppendMessage(m.Direction, m.Message, keepPlaintext ? m.Plaintext : null);
                    break;
                case MessageReceived m:
                    AppendMessage(m.Direction, m.Message, keepPlaintext ? m.Plaintext : null);
                    break;
                case ReceiptSent r:
                    AppendReceipt(r.Receipt);
                    break;
                case ReceiptReceived r:
                    AppendReceipt(r.Receipt);
                    break;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
        }
    }

    private void Append(TranscriptRecord record)
    {
        var line = TranscriptJson.Serialize(record);
        lock (_gate)
        {
            // One write per line then fsync: a torn write can only affect the last line.
            var buffer = new byte[line.Length + 1];
            line.CopyTo(buffer, 0);
            buffer[^1] = NewLine[0];
            _stream.Write(buffer);
            _stream.Flush(flushToDisk: true);
        }
    }
}
