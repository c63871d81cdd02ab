using System.Text.Json;
using System.Text.Json.Serialization;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence;

/// <summary>Strict JSON for transcript lines, and conversions between wire messages and lines.</summary>
public static class TranscriptJson
{
    /// <summary>Serialises one record as a single line of UTF-8 JSON (no newline).</summary>
    public static byte[] Serialize(TranscriptRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, TranscriptJsonContext.Default.TranscriptRecord);

    /// <summary>Parses one line; <see langword="null"/> if it is not a well-formed record.</summary>
    /// <remarks>The quick reader takes the plain message lines; every other line is left to the deserializer.</remarks>
    public static TranscriptRecord? TryParse(ReadOnlySpan<byte> line) =>
        MessageLineReader.TryRead(line) ?? Deserialize(line);

    /// <summary>Parses one line as <see cref="TryParse(ReadOnlySpan{byte})"/> does, keeping the base64 members of a
    /// plain message line as slices of <paramref name="line"/>, which must not change while the record is in use.</summary>
    internal static TranscriptRecord? TryParseRetained(ReadOnlyMemory<byte> line) =>
        MessageLineReader.TryRead(line) ?? Deserialize(line.Span);

    private static TranscriptRecord? Deserialize(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, TranscriptJsonContext.Default.TranscriptRecord);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The line for a message as sent or received.</summary>
    public static TranscriptMessageLine ToLine(Direction direction, ChatMessage message, byte[]? plaintext)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new TranscriptMessageLine
        {
            Dir = direction.ToWire(),
            Seqno = message.Seqno,
            Ts = message.Ts,
            Ct = message.Ct,
            Commit = message.Commit,
            Sig = message.Sig,
            Plaintext = plaintext is null ? null : Convert.ToBase64String(plaintext),
        };
    }

    /// <summary>The wire message a line records.</summary>
    public static ChatMessage ToMessage(TranscriptMessageLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new ChatMessage { Seqno = line.Seqno, Ts = line.Ts, Ct = line.Ct, Commit = line.Commit, Sig = line.Sig };
    }

    /// <summary>The line for a receipt.</summary>
    public static TranscriptReceiptLine ToLine(ReceiptMessage receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new TranscriptReceiptLine
        {
            Peer = receipt.Peer,
            SessionId = receipt.SessionId,
            C2sLastSeq = receipt.C2sLastSeq,
            S2cLastSeq = receipt.S2cLastSeq,
            TranscriptSha256 = receipt.TranscriptSha256,
            Sig = receipt.Sig,
        };
    }

    /// <summary>The receipt a line records.</summary>
    public static ReceiptMessage ToReceipt(TranscriptReceiptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new ReceiptMessage
        {
            Peer = line.Peer,
            SessionId = line.SessionId,
            C2sLastSeq = line.C2sLastSeq,
            S2cLastSeq = line.S2cLastSeq,
            TranscriptSha256 = line.TranscriptSha256,
            Sig = line.Sig,
        };
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(TranscriptRecord))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;
