using System.Text;
using System.Text.Json;

namespace SecureChat.Evidence.Tests;

/// <summary>The quick message-line reader never accepts a line the deserializer refuses, nor reads one differently.</summary>
public class MessageLineReaderTests
{
    private const string Plain =
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1700000000123,"ct":"q80=","commit":"AAEC","sig":"c2ln","plaintext":"eyJ0ZXh0IjoiaGkifQ=="}""";

    public static TheoryData<string> Lines() =>
    [
        Plain,
        Plain.Replace(",\"plaintext\":\"eyJ0ZXh0IjoiaGkifQ==\"", "", StringComparison.Ordinal),
        """{"kind":"msg","plaintext":null,"dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"dir":"c2s","kind":"msg","seqno":7,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":"","sig":"x"}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7.0,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7e0,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":-0,"ts":-1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":"7","ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":99999999999999999999,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":null,"seqno":7,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":"","extra":1}""",
        """{"kind":"msg","Dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":"","kind":"msg"}""",
        """{"kind":"receipt","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"k\u0069nd":"m\u0073g","d\u0069r":"c\u00322s","seqno":7,"ts":1,"ct":"\/","commit":"","sig":""}""",
        """ {"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""} """,
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""}x""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""}{}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":"",}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"","commit":"","sig":""/**/}""",
        "{\"kind\":\"msg\",\"dir\":\"c2s\",\"seqno\":7,\"ts\":1,\"ct\":\"\",\"commit\":\"\",\"sig\":\"\"",
        """{"kind":"msg","dir":["c2s"],"seqno":7,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":{},"commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":true,"ts":1,"ct":"","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"q8\u002B=","commit":"\/w==","sig":"c2\u006cn","plaintext":"\u0041A=="}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"q8\uD800","commit":"","sig":""}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"q8\uD83D\uDE00=","commit":"\u00e9","sig":"\n"}""",
        """{"kind":"msg","dir":"c2s","seqno":7,"ts":1,"ct":"q8é=","commit":"","sig":""}""",
        "\uFEFF" + Plain,
        "[]",
        "",
    ];

    [Theory]
    [MemberData(nameof(Lines))]
    public void Reads_exactly_what_the_deserializer_reads(string line) => AssertAgrees(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void Reads_a_plain_message_line()
    {
        var line = Assert.IsType<TranscriptMessageLine>(MessageLineReader.TryRead(Encoding.UTF8.GetBytes(Plain)));
        Assert.Equal(("c2s", 7L, 1700000000123L, "q80=", "AAEC", "c2ln", "eyJ0ZXh0IjoiaGkifQ=="),
            (line.Dir, line.Seqno, line.Ts, line.Ct, line.Commit, line.Sig, line.Plaintext));
    }

    [Fact]
    public void Agrees_with_the_deserializer_on_lines_with_bytes_changed_or_removed()
    {
        var random = new Random(7);
        var original = Encoding.UTF8.GetBytes(Plain);
        var replacements = "\"\\{}[]:,0-.e \tnul\u00e9x"u8.ToArray().Concat(new byte[] { 0x00, 0xC3, 0xFF, 0x80 }).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = original.ToList();
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes[at] = replacements[random.Next(replacements.Length)];
                        break;
                    case 1:
                        bytes.RemoveAt(at);
                        break;
                    default:
                        bytes.Insert(at, replacements[random.Next(replacements.Length)]);
                        break;
                }
            }

            AssertAgrees(bytes.ToArray());
        }
    }

    private static void AssertAgrees(byte[] line)
    {
        TranscriptRecord? expected;
        try
        {
            expected = JsonSerializer.Deserialize(line, TranscriptJsonContext.Default.TranscriptRecord);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            expected = null;
        }

        if (MessageLineReader.TryRead(line) is { } quick)
        {
            Assert.Equal(expected, quick);
        }

        Assert.Equal(expected, TranscriptJson.TryParse(line));

        // Kept as slices of the line, the members read the same, as strings and as UTF-8.
        var kept = TranscriptJson.TryParseRetained(line);
        Assert.Equal(expected, kept);
        if (kept is TranscriptMessageLine message && expected is TranscriptMessageLine reference)
        {
            AssertUtf8(reference.Ct, message.CtText);
            AssertUtf8(reference.Commit, message.CommitText);
            AssertUtf8(reference.Sig, message.SigText);
            AssertUtf8(reference.Plaintext, message.PlaintextText);
            Assert.Equal(reference.Plaintext is not null, message.HasPlaintext);
        }
    }

    private static void AssertUtf8(string? text, LineText field)
    {
        var scratch = new byte[field.Utf8Capacity];
        Assert.Equal(text is null ? [] : Encoding.UTF8.GetBytes(text), field.Utf8(scratch).ToArray());
    }
}
