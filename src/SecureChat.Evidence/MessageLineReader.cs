using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

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
    private const int StackLimit = 1024;

    /// <summary>The message line, or <see langword="null"/> when the line is not in the plain shape.</summary>
    public static TranscriptMessageLine? TryRead(ReadOnlySpan<byte> line) => TryRead(line, default, retain: false);

    /// <summary>The message line, or <see langword="null"/> when the line is not in the plain shape; its base64
    /// members that hold no escape stay slices of <paramref name="line"/>, which must not change while the record
    /// is in use.</summary>
    public static TranscriptMessageLine? TryRead(ReadOnlyMemory<byte> line) => TryRead(line.Span, line, retain: true);

    private static TranscriptMessageLine? TryRead(ReadOnlySpan<byte> line, ReadOnlyMemory<byte> retained, bool retain)
    {
        try
        {
            return Read(line, retained, retain);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static TranscriptMessageLine? Read(ReadOnlySpan<byte> line, ReadOnlyMemory<byte> retained, bool retain)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || !reader.ValueTextEquals("kind"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("msg"u8))
        {
            return null;
        }

        string? dir = null;
        LineText ct = default, commit = default, sig = default, plaintext = default;
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

            if (member == Dir)
            {
                // dir is one of two words on every message line: those need no string of their own.
                dir = reader.ValueTextEquals("c2s"u8) ? "c2s" : reader.ValueTextEquals("s2c"u8) ? "s2c" : reader.GetString();
                continue;
            }

            var text = Text(ref reader, retained, retain);
            if (text is not { } value)
            {
                return null;
            }

            _ = member switch
            {
                Ct => ct = value,
                Commit => commit = value,
                Sig => sig = value,
                _ => plaintext = value,
            };
        }

        // The object must be closed and followed by nothing but whitespace.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (seen & Required) != Required)
        {
            return null;
        }

        return new TranscriptMessageLine(dir!, seqno, ts, ct, commit, sig, plaintext);
    }

    /// <summary>A string value: its token in the kept line, else its unescaped string; null for invalid UTF-8 (or
    /// an escaped lone surrogate), which <see cref="Utf8JsonReader.GetString"/> would refuse.</summary>
    private static LineText? Text(ref Utf8JsonReader reader, ReadOnlyMemory<byte> retained, bool retain)
    {
        if (!retain || reader.HasValueSequence)
        {
            return LineText.Of(reader.GetString());
        }

        // A string token starts at its opening quote and ends at the closing one; unescaping never lengthens it.
        var token = retained.Slice(checked((int)reader.TokenStartIndex), reader.ValueSpan.Length + 2);
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan) ? LineText.OfToken(token, escaped: false) : null;
        }

        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        var scratch = length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            // Throws for what GetString would refuse; the caller then gives the line to the deserializer.
            reader.CopyString(scratch);
            return LineText.OfToken(token, escaped: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
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
