using System.Security.Cryptography;

namespace SecureChat.Pki;

/// <summary>One PEM block located in a text: its label and where its base64 body lies.</summary>
internal readonly record struct PemBlock(string Label, Range Base64Data, int DecodedDataLength);

/// <summary>Finds every PEM block in a text and notices any that is not well-formed.</summary>
internal readonly record struct PemBlocks(IReadOnlyList<PemBlock> Blocks, bool Malformed)
{
    private const string BeginMarker = "-----BEGIN ";

    /// <summary>Lists the well-formed blocks; <see cref="Malformed"/> is set when a BEGIN line starts a block that
    /// <see cref="PemEncoding"/> does not accept (bad base64, mismatched END label, headers).</summary>
    public static PemBlocks Find(ReadOnlySpan<char> text)
    {
        var blocks = new List<PemBlock>();
        var offset = 0;
        while (offset < text.Length && PemEncoding.TryFind(text[offset..], out var found))
        {
            var rest = text.Length - offset;
            var body = found.Base64Data;
            blocks.Add(new PemBlock(
                text[offset..][found.Label].ToString(),
                new Range(offset + body.Start.GetOffset(rest), offset + body.End.GetOffset(rest)),
                found.DecodedDataLength));
            offset += found.Location.End.GetOffset(rest);
        }

        // PemEncoding silently skips a broken block; counting BEGIN lines is how we notice one.
        return new PemBlocks(blocks, CountBeginMarkers(text) != blocks.Count);
    }

    /// <summary>Decodes the base64 body of a block found in <paramref name="text"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, PemBlock block)
    {
        var der = new byte[block.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text[block.Base64Data], der, out var written) || written != der.Length)
        {
            // TryFind has already validated the base64, so this cannot happen for a block it returned.
            throw new CryptographicException("PEM block body is not valid base64.");
        }

        return der;
    }

    private static int CountBeginMarkers(ReadOnlySpan<char> text)
    {
        var count = 0;
        int index;
        while ((index = text.IndexOf(BeginMarker, StringComparison.Ordinal)) >= 0)
        {
            count++;
            text = text[(index + BeginMarker.Length)..];
        }

        return count;
    }
}
