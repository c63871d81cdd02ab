using System.Text;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests;

/// <summary>The canonical base64 check that does not re-encode accepts exactly what decode-then-re-encode accepted.</summary>
public class CanonicalBase64Tests
{
    /// <summary>The former rule: decodable, and re-encoding gives back the very same string.</summary>
    private static bool ReferenceTryDecode(string text, out byte[] bytes)
    {
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

    public static TheoryData<string> EdgeCases() =>
    [
        "", "=", "==", "===", "====", "A===", "AA==", "AB==", "AQ==", "AR==", "AA=A", "A=AA", "AAA=", "AAE=", "AAB=", "AAC=",
        "AAAA", "AAAA====", "AA==AA==", "AAAA AAA", " AAAAAAA", "AAAAAAA ", "AAAA\nAAA", "AAAA\tAAA", "AAAA\r\nAA", "AAA",
        "AAAAA", "AA-_", "AA_A", "AA.A", "AAÀA", "AA\0A", "YQ==", "YR==", "YWI=", "YWJ=", "YWJj", "Zm9vYmFy", "Zm9vYmE=",
        "Zm9vYmF=", "Zm9vYg==", "Zm9vYh==", "Zm9vYo==", "Zm9vYp==", "////", "++++", "+/+/", "/w==", "/x==", "//8=", "//9=",
        "AAAA=", "AAAA==", "AA==\n", "\nAA==", "AA = ", "AA%3D", "QUJD\u00a0", "QUJ\u00c0", "QU\ud800D", "QUJ\u00c0==",
    ];

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Accepts_exactly_what_re_encoding_accepted(string text) => AssertSameAsReference(text);

    [Fact]
    public void Agrees_with_re_encoding_on_every_short_string_over_a_mixed_alphabet()
    {
        // Every string of up to 4 characters over symbols that exercise each rule: data characters with and
        // without low bits set, padding, whitespace and a character outside the alphabet.
        var symbols = "AQRw/+=\n -".ToCharArray();
        var current = new List<string> { "" };
        for (var length = 0; length <= 4; length++)
        {
            var next = new List<string>();
            foreach (var text in current)
            {
                AssertSameAsReference(text);
                next.AddRange(symbols.Select(c => text + c));
            }

            current = next;
        }
    }

    [Fact]
    public void Agrees_with_re_encoding_on_random_encodings_with_one_character_changed()
    {
        var random = new Random(20240611);
        var replacements = "AQRSwxyz019+/=\n \t-_.".ToCharArray();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            var chars = Convert.ToBase64String(bytes).ToCharArray();
            AssertSameAsReference(new string(chars));
            if (chars.Length > 0)
            {
                chars[random.Next(chars.Length)] = replacements[random.Next(replacements.Length)];
                AssertSameAsReference(new string(chars));
            }
        }
    }

    private static void AssertSameAsReference(string text)
    {
        var expected = ReferenceTryDecode(text, out var expectedBytes);
        Assert.Equal(expected, WireBytes.TryFromCanonicalBase64(text, out var bytes));
        Assert.Equal(expectedBytes, bytes);
        Assert.Equal(expected, WireBytes.IsCanonicalBase64(text));
        if (expected)
        {
            var destination = new byte[WireBytes.DecodedLength(text)];
            Assert.True(WireBytes.TryDecodeCanonicalBase64(text, destination, out var written));
            Assert.Equal(expectedBytes, destination[..written]);
        }

        // The same text as UTF-8 (as read from a transcript line) gets the same verdict and bytes.
        var utf8 = Encoding.UTF8.GetBytes(text);
        Assert.Equal(expected, WireBytes.IsCanonicalBase64(utf8));
        var utf8Destination = new byte[expected ? WireBytes.DecodedLength(utf8) : utf8.Length];
        Assert.Equal(expected, WireBytes.TryDecodeCanonicalBase64(utf8, utf8Destination, out var utf8Written));
        if (expected)
        {
            Assert.Equal(expectedBytes, utf8Destination[..utf8Written]);
        }
    }
}
