using System.Text;
using System.Text.Json.Nodes;

namespace SecureChat.Cli.Tests.Support;

/// <summary>A transcript file (JSON Lines, docs/PROTOCOL.md §4.8) held as lines, for making tampered copies the way
/// an attacker with a text editor would. Line numbers are 1-based, as the auditor reports them.</summary>
public sealed class TranscriptEditor
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly List<string> _lines;

    private TranscriptEditor(List<string> lines) => _lines = lines;

    /// <summary>Number of lines.</summary>
    public int Count => _lines.Count;

    /// <summary>The whole file: every line with its terminating newline.</summary>
    public string Text => string.Concat(_lines.Select(line => line + "\n"));

    /// <summary>Reads a file whose every line, the last included, ends with a newline.</summary>
    public static TranscriptEditor Load(string path)
    {
        var text = File.ReadAllText(path, Utf8);
        Assert.True(text.EndsWith('\n'), $"{path} does not end with a newline");
        return new TranscriptEditor([.. text[..^1].Split('\n')]);
    }

    /// <summary>The text of a line.</summary>
    public string Line(int lineNumber) => _lines[lineNumber - 1];

    /// <summary>The line of the message with this direction and seqno.</summary>
    public int MessageLine(string direction, long seqno) =>
        LineWhere(o => (string?)o["kind"] == "msg" && (string?)o["dir"] == direction && (long)o["seqno"]! == seqno, $"{direction} message {seqno}");

    /// <summary>The line of the receipt this peer issued.</summary>
    public int ReceiptLine(string peer) =>
        LineWhere(o => (string?)o["kind"] == "receipt" && (string?)o["peer"] == peer, $"{peer} receipt");

    /// <summary>Replaces a string member of a line by <paramref name="change"/> of it; the rest of the line keeps its values.</summary>
    public TranscriptEditor Edit(int lineNumber, string member, Func<string, string> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var record = Parse(Line(lineNumber));
        var before = (string?)record[member] ?? throw new InvalidOperationException($"line {lineNumber} has no string member '{member}'");
        var after = change(before);
        Assert.NotEqual(before, after);
        record[member] = after;
        _lines[lineNumber - 1] = record.ToJsonString();
        return this;
    }

    /// <summary>Removes a line.</summary>
    public TranscriptEditor Delete(int lineNumber)
    {
        _lines.RemoveAt(lineNumber - 1);
        return this;
    }

    /// <summary>Exchanges two lines.</summary>
    public TranscriptEditor Swap(int first, int second)
    {
        (_lines[first - 1], _lines[second - 1]) = (_lines[second - 1], _lines[first - 1]);
        return this;
    }

    /// <summary>Keeps the first <paramref name="count"/> lines, as a file cut off after a complete line.</summary>
    public TranscriptEditor KeepFirst(int count)
    {
        _lines.RemoveRange(count, _lines.Count - count);
        return this;
    }

    /// <summary>Writes the lines, each with its newline.</summary>
    public string Save(string path)
    {
        File.WriteAllText(path, Text, Utf8);
        return path;
    }

    /// <summary>Writes the lines before <paramref name="lineNumber"/> and half of that line without a newline: a write
    /// that never finished.</summary>
    public string SaveTorn(string path, int lineNumber)
    {
        var torn = Line(lineNumber);
        File.WriteAllText(path, string.Concat(_lines.Take(lineNumber - 1).Select(line => line + "\n")) + torn[..(torn.Length / 2)], Utf8);
        return path;
    }

    /// <summary>Changes one character of a base64 value in its middle, so the result is still canonical base64
    /// and only the decoded bytes differ.</summary>
    public static string FlipBase64(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var index = value.TrimEnd('=').Length / 2;
        var chars = value.ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    /// <summary>Changes the first digit of a lowercase hex value.</summary>
    public static string FlipHex(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return (value[0] == '0' ? '1' : '0') + value[1..];
    }

    private int LineWhere(Func<JsonObject, bool> predicate, string what)
    {
        for (var i = 0; i < _lines.Count; i++)
        {
            if (predicate(Parse(_lines[i])))
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException($"the transcript has no {what}:\n{Text}");
    }

    private static JsonObject Parse(string line) =>
        JsonNode.Parse(line) as JsonObject ?? throw new FormatException($"not a JSON object: {line}");
}
