using System.Text;

namespace SecureChat.Crypto;

/// <summary>Builds the bytes every protocol signature covers: <c>0x20 * 64 || context || 0x00 || content</c> (protocol §2).</summary>
/// <remarks>The TLS 1.3 pattern: the context string separates purposes, so a signature made for one
/// message can never be replayed as a signature on another kind of message.</remarks>
public static class SignatureInput
{
    /// <summary>Number of leading space bytes.</summary>
    public const int PaddingLength = 64;

    /// <summary>Returns the exact byte string that is signed for <paramref name="context"/> and <paramref name="content"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="context"/> is empty or not printable ASCII (0x20–0x7E).</exception>
    public static byte[] Build(string context, ReadOnlySpan<byte> content)
    {
        var buffer = new byte[PrefixLength(context) + content.Length];
        var prefix = WritePrefix(context, buffer);
        content.CopyTo(buffer.AsSpan(prefix));
        return buffer;
    }

    /// <summary>The length of <c>0x20 * 64 || context || 0x00</c>, what precedes the content.</summary>
    /// <exception cref="ArgumentException"><paramref name="context"/> is empty or not printable ASCII (0x20–0x7E).</exception>
    public static int PrefixLength(string context)
    {
        CheckContext(context);
        return PaddingLength + context.Length + 1;
    }

    /// <summary>Writes <c>0x20 * 64 || context || 0x00</c> at the start of <paramref name="destination"/>, so the
    /// content can follow it in a caller's buffer; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="context"/> is empty or not printable ASCII (0x20–0x7E).</exception>
    public static int WritePrefix(string context, Span<byte> destination)
    {
        var length = PrefixLength(context);
        destination[..PaddingLength].Fill(0x20);
        Encoding.ASCII.GetBytes(context, destination[PaddingLength..]);
        destination[length - 1] = 0x00;
        return length;
    }

    private static void CheckContext(string context)
    {
        ArgumentException.ThrowIfNullOrEmpty(context);

        // Encoding.ASCII would turn any other character into '?', and a NUL would move the separator; either way two
        // different (context, content) pairs could be signed as the same bytes.
        foreach (var c in context)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException("A signature context must be printable ASCII.", nameof(context));
            }
        }
    }
}
