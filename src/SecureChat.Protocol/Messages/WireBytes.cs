namespace SecureChat.Protocol.Messages;

/// <summary>Strict decoding of the byte fields of wire messages.</summary>
/// <remarks>Base64 must be canonical (standard alphabet, padding, no whitespace, zero trailing bits), so the
/// string "as sent" that enters the transcript chain is the only encoding of those bytes.</remarks>
public static class WireBytes
{
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
        if (text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return false;
        }

        var decoded = buffer[..written];
        if (!string.Equals(Convert.ToBase64String(decoded), text, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }

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
