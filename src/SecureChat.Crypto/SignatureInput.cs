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

        var contextLength = Encoding.ASCII.GetByteCount(context);
        var buffer = new byte[PaddingLength + contextLength + 1 + content.Length];
        buffer.AsSpan(0, PaddingLength).Fill(0x20);
        Encoding.ASCII.GetBytes(context, buffer.AsSpan(PaddingLength));
        buffer[PaddingLength + contextLength] = 0x00;
        content.CopyTo(buffer.AsSpan(PaddingLength + contextLength + 1));
        return buffer;
    }
}
