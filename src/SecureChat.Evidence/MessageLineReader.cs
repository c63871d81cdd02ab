using System.Text.Json;

namespace SecureChat.Evidence;

/// <summary>Reads the common shape of a message line straight from its UTF-8 bytes with <see cref="Utf8JsonReader"/>.</summary>
/// <remarks>Nearly every line of a transcript is a message, and the general deserializer spends more time on one than
/// everything else an audit does apart from the signature check. This reader accepts only the plain shape a writer
/// produces: <c>kind</c> first and equal to <c>msg</c>, then the known members once each with the right token types
/// and no null. Anything else (another kind, an unknown or repeated member, a null, a number that is not an integer,
/// trailing bytes, invalid UTF-8) makes it give up, and the caller hands the line to the general deserializer, which
/// then decides alone. So it never accepts a line the deserializer would refuse nor reads one differently.</remarks>
internal static class MessageLineReader
{
    private const int Dir = 1, Seqno = 2, Ts = 4, Ct = 8, Commit = 16, Sig = 32, Plaintext = 64;
    private const int Required = Dir | Seqno | Ts | Ct | Commit | Sig;

    /// <summary>The message line, or <see langword="null"/> when the line is not in the plain shape.</summary>
    public static TranscriptMessageLine? TryRead(ReadOnlySpan<byte> line)
    {
        try
        {
            return Read(line);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static TranscriptMessageLine? Read(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || !reader.ValueTextEquals("kind"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("msg"u8))
        {
            return null;
        }

        string? dir = null, ct = null, commit = null, sig = null, plaintext = null;
        long seqno = 0, ts = 0;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MemberOf(ref reader);
            if (member == 0 || (seen & member) != 0 || !reader.Read())
            {
                return null;
            }

            seen |= member;
            if (member is Seqno or Ts)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var number))
                {
                    return null;
                }

                if (member == Seqno)
                {
                    seqno = number;
                }
                else
                {
                    ts = number;
                }

                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            // dir is one of two words on every message line: those need no string of their own.
            var text = member == Dir && reader.ValueTextEquals("c2s"u8) ? "c2s"
                : member == Dir && reader.ValueTextEquals("s2c"u8) ? "s2c"
                : reader.GetString();
            _ = member switch
            {
                Dir => dir = text,
                Ct => ct = text,
                Commit => commit = text,
                Sig => sig = text,
                _ => plaintext = text,
            };
        }

        // The object must be closed and followed by nothing but whitespace.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (seen & Required) != Required)
        {
            return null;
        }

        return new TranscriptMessageLine { Dir = dir!, Seqno = seqno, Ts = ts, Ct = ct!, Commit = commit!, Sig = sig!, Plaintext = plaintext };
    }

    private static int MemberOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("dir"u8) ? Dir
        : reader.ValueTextEquals("seqno"u8) ? Seqno
        : reader.ValueTextEquals("ts"u8) ? Ts
        : reader.ValueTextEquals("ct"u8) ? Ct
        : reader.ValueTextEquals("commit"u8) ? Commit
        : reader.ValueTextEquals("sig"u8) ? Sig
        : reader.ValueTextEquals("plaintext"u8) ? Plaintext
        : 0;
}
