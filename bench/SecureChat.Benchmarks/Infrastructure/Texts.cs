using System.Text;

namespace SecureChat.Benchmarks.Infrastructure;

/// <summary>Chat texts of an exact UTF-8 length, made of ordinary words (no JSON escaping).</summary>
internal static class Texts
{
    private const string Words = "the quick brown fox jumps over the lazy dog and sends a short reply ";

    /// <summary>A text of exactly <paramref name="bytes"/> ASCII bytes.</summary>
    public static string Of(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var builder = new StringBuilder(bytes + Words.Length);
        while (builder.Length < bytes)
        {
            builder.Append(Words);
        }

        return builder.ToString(0, bytes);
    }
}
