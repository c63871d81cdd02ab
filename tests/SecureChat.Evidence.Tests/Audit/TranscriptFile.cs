using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureChat.Evidence.Audit;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>A transcript file as a list of lines, with the edits an attacker with a text editor would make.</summary>
internal sealed class TranscriptFile
{
    private readonly List<byte[]> _lines;

    public TranscriptFile(IEnumerable<byte[]> lines) => _lines = lines.Select(l => l.ToArray()).ToList();

    public int Count => _lines.Count;

    public TranscriptFile Copy() => new(_lines);

    /// <summary>The record on a 1-based line.</summary>
    public TranscriptRecord Record(int lineNumber) =>
        TranscriptJson.TryParse(_lines[lineNumber - 1]) ?? throw new InvalidOperationException($"line {lineNumber} does not parse");

    /// <summary>The 1-based line of message <paramref name="seqno"/> in <paramref name="dir"/>.</summary>
    public int LineOf(string dir, long seqno) =>
        1 + _lines.FindIndex(l => TranscriptJson.TryParse(l) is TranscriptMessageLine m && m.Dir == dir && m.Seqno == seqno);

    /// <summary>The 1-based line of the receipt issued by <paramref name="peer"/>.</summary>
    public int ReceiptLineOf(string peer) =>
        1 + _lines.FindIndex(l => TranscriptJson.TryParse(l) is TranscriptReceiptLine r && r.Peer == peer);

    /// <summary>The 1-based lines holding messages.</summary>
    public IEnumerable<int> MessageLines() =>
        Enumerable.Range(1, Count).Where(n => TranscriptJson.TryParse(_lines[n - 1]) is TranscriptMessageLine);

    public byte[] Line(int lineNumber) => _lines[lineNumber - 1];

    /// <summary>Rewrites the record on a line (re-serialised, as an editor that understands JSON would).</summary>
    public TranscriptFile Edit<T>(int lineNumber, Func<T, T> change)
        where T : TranscriptRecord
    {
        _lines[lineNumber - 1] = TranscriptJson.Serialize(change((T)Record(lineNumber)));
        return this;
    }

    public TranscriptFile Replace(int lineNumber, byte[] line)
    {
        _lines[lineNumber - 1] = line.ToArray();
        return this;
    }

    public TranscriptFile Delete(int lineNumber)
    {
        _lines.RemoveAt(lineNumber - 1);
        return this;
    }

    /// <summary>Inserts a line so that it becomes line <paramref name="lineNumber"/>.</summary>
    public TranscriptFile Insert(int lineNumber, byte[] line)
    {
        _lines.Insert(lineNumber - 1, line.ToArray());
        return this;
    }

    public TranscriptFile Append(TranscriptRecord record) => Insert(Count + 1, TranscriptJson.Serialize(record));

    public TranscriptFile Swap(int a, int b)
    {
        (_lines[a - 1], _lines[b - 1]) = (_lines[b - 1], _lines[a - 1]);
        return this;
    }

    /// <summary>Keeps the first <paramref name="count"/> lines.</summary>
    public TranscriptFile KeepFirst(int count)
    {
        _lines.RemoveRange(count, _lines.Count - count);
        return this;
    }

    /// <summary>The file's bytes: every line followed by a newline.</summary>
    public byte[] Bytes() => _lines.SelectMany(l => l.Append((byte)'\n')).ToArray();

    public AuditReport Audit(AuditOptions? options = null, X509Certificate2? root = null) =>
        TranscriptAuditor.Audit(_lines.Select(l => (ReadOnlyMemory<byte>)l).ToList(), root ?? TestPki.Root, options);

    public AuditReport AuditBytes(byte[] content, AuditOptions? options = null)
    {
        using var stream = new MemoryStream(content, writable: false);
        return TranscriptAuditor.Audit(stream, TestPki.Root, options);
    }

    public override string ToString() => string.Join('\n', _lines.Select(Encoding.UTF8.GetString));
}
