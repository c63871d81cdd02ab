using System.Buffers;
using System.Buffers.Text;

namespace SecureChat.Protocol.Messages;

/// <summary>Strict decoding of the byte fields of wire messages.</summary>
/// <remarks>Base64 must be canonical (standard alphabet, padding, no whitespace, zero trailing bits), so the
/// string "as sent" that enters the transcript chain is the only encoding of those bytes.</remarks>
public static class WireBytes
{
    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private static readonly SearchValues<byte> Utf8Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8);

    /// <summary>Decodes canonical base64 or throws <c>PROTOCOL_ERROR</c> naming <paramref name="field"/>.</summary>
    public static byte[] FromBase64(string? text, string field, int? exactLength = null)
    {
        if (text is null || !TryFromCanonicalBase64(text, out var bytes))
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, $"'{field}' is not canonical base64");
        }

        if (exactLength is { } length && bytes.Length != length)
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, $"'{field}' must hold {length} bytes");
        }

        return bytes;
    }

    /// <summary>Decodes canonical base64; <see langword="false"/> for anything else.</summary>
    public static bool TryFromCanonicalBase64(string text, out byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = [];
        if (!IsCanonicalBase64(text))
        {
            return false;
        }

        bytes = new byte[DecodedLength(text)];
        return Convert.TryFromBase64Chars(text, bytes, out _);
    }

    /// <summary>Decodes canonical base64 into <paramref name="destination"/>, which must hold
    /// <see cref="DecodedLength(ReadOnlySpan{char})"/> bytes; <see langword="false"/> for anything that is not canonical base64.</summary>
    public static bool TryDecodeCanonicalBase64(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        return IsCanonicalBase64(text) && Convert.TryFromBase64Chars(text, destination, out written);
    }

    /// <summary>The number of bytes <paramref name="text"/> decodes to, if it is canonical base64.</summary>
    public static int DecodedLength(ReadOnlySpan<char> text)
    {
        var padding = text.EndsWith("==") ? 2 : text.EndsWith('=') ? 1 : 0;
        return text.Length / 4 * 3 - padding;
    }

    /// <summary>Whether <paramref name="text"/> is the one base64 encoding of some bytes: standard alphabet, a length
    /// that is a multiple of 4, '=' only as the one or two last characters, no whitespace, and zero unused bits in the
    /// last character before the padding.</summary>
    /// <remarks>Exactly the strings that decoding then re-encoding gives back unchanged, checked without
    /// re-encoding.</remarks>
    public static bool IsCanonicalBase64(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 != 0)
        {
            return false;
        }

        var padding = text.EndsWith("==") ? 2 : text.EndsWith('=') ? 1 : 0;
        var data = text[..^padding];
        if (data.ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        if (padding == 0)
        {
            return true;
        }

        // One '=' leaves 2 unused bits in the last character, two leave 4; a canonical encoder writes them as zero.
        var last = Base64Value(data[^1]);
        var unusedBits = padding == 1 ? 0b11 : 0b1111;
        return (last & unusedBits) == 0;
    }

    /// <summary>Decodes canonical base64 given as UTF-8 into <paramref name="destination"/>, which must hold
    /// <see cref="DecodedLength(ReadOnlySpan{byte})"/> bytes; <see langword="false"/> for anything that is not
    /// canonical base64.</summary>
    /// <remarks>The same rules as for text: canonical base64 is ASCII, so its UTF-8 bytes are its characters and
    /// any other UTF-8 (a multi-byte sequence included) is refused by both.</remarks>
    public static bool TryDecodeCanonicalBase64(ReadOnlySpan<byte> utf8, Span<byte> destination, out int written)
    {
        written = 0;
        return IsCanonicalBase64(utf8)
            && Base64.DecodeFromUtf8(utf8, destination, out _, out written) == OperationStatus.Done;
    }

    /// <summary>The number of bytes the UTF-8 base64 <paramref name="utf8"/> decodes to, if it is canonical base64.</summary>
    public static int DecodedLength(ReadOnlySpan<byte> utf8)
    {
        var padding = utf8.EndsWith("=="u8) ? 2 : utf8.EndsWith((byte)'=') ? 1 : 0;
        return utf8.Length / 4 * 3 - padding;
    }

    /// <summary>Whether the UTF-8 bytes <paramref name="utf8"/> are canonical base64, by exactly the rules of
    /// <see cref="IsCanonicalBase64(ReadOnlySpan{char})"/>.</summary>
    public static bool IsCanonicalBase64(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length % 4 != 0)
        {
            return false;
        }

        var padding = utf8.EndsWith("=="u8) ? 2 : utf8.EndsWith((byte)'=') ? 1 : 0;
        var data = utf8[..^padding];
        if (data.ContainsAnyExcept(Utf8Alphabet))
        {
            return false;
        }

        if (padding == 0)
        {
            return true;
        }

        var last = Base64Value((char)data[^1]);
        var unusedBits = padding == 1 ? 0b11 : 0b1111;
        return (last & unusedBits) == 0;
    }

    private static int Base64Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        _ => 63,
    };

    /// <summary>Lowercase hex, as used for hashes and the session id in receipts.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Decodes lowercase hex of an exact length; <see langword="false"/> for anything else.</summary>
    public static bool TryFromLowerHex(string? text, int length, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length != length * 2)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        bytes = Convert.FromHexString(text);
        return true;
    }
}
