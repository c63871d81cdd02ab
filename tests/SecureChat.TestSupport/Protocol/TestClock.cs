using SecureChat.Crypto;

namespace SecureChat.TestSupport;

/// <summary>A clock the test moves by hand.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static DateTimeOffset Epoch => SecureChat.TestSupport.TestPki.Now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Deterministic bytes for known-answer tests: a SHA-256 counter stream over a seed.</summary>
public sealed class SeededEntropy(string seed) : IEntropySource
{
    private long _counter;

    public void Fill(Span<byte> destination)
    {
        var offset = 0;
        while (offset < destination.Length)
        {
            var block = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{seed}/{_counter++}"));
            var take = Math.Min(block.Length, destination.Length - offset);
            block.AsSpan(0, take).CopyTo(destination[offset..]);
            offset += take;
        }
    }
}
