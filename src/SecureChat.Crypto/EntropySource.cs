using System.Security.Cryptography;

namespace SecureChat.Crypto;

/// <summary>Source of the random bytes the protocol consumes (nonces, DH exponents, commitment randomness).</summary>
/// <remarks>Injected so that the protocol core is deterministic under test; production code uses <see cref="System"/>.</remarks>
public interface IEntropySource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);

    /// <summary>The operating system's CSPRNG.</summary>
    public static IEntropySource System { get; } = new SystemEntropySource();

    private sealed class SystemEntropySource : IEntropySource
    {
        public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
    }
}

/// <summary>Convenience helpers over <see cref="IEntropySource"/>.</summary>
public static class EntropySourceExtensions
{
    /// <summary>Returns <paramref name="count"/> fresh random bytes.</summary>
    public static byte[] GetBytes(this IEntropySource source, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bytes = new byte[count];
        source.Fill(bytes);
        return bytes;
    }
}
