using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>The protocol-side CPU of one session setup, both state machines together: hello and server_hello with
/// certificate validation, the signed DH for k_auth, one encrypted login accepted at once (no password hash), the
/// signed DH for k_chat. Identities and validators are made once, as a host does.</summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private SessionParties _parties = null!;

    /// <summary>Handshakes run before measuring. One handshake calls the big-integer code hundreds of times but the
    /// handshake path itself only once, so a short job would otherwise time tier-0 code (about 3x slower).</summary>
    private const int JitWarmup = 200;

    [GlobalSetup]
    public void Setup()
    {
        _parties = new SessionParties();
        for (var i = 0; i < JitWarmup; i++)
        {
            FullHandshake();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _parties.Dispose();

    [Benchmark]
    public int FullHandshake()
    {
        using var pair = _parties.NewPair().Handshake();
        return pair.Client.Transcript.Frames.Count;
    }
}
