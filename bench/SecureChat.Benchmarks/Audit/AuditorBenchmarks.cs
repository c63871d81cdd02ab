using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Evidence.Audit;

namespace SecureChat.Benchmarks.Audit;

/// <summary><see cref="TranscriptAuditor"/> on the client's file of an honest 1 000-message conversation (100-byte
/// texts, plaintext kept, both receipts), on one worker and on every core. Results are per message: multiply by
/// 1 000 for the whole file, which also carries the header's fixed cost (two certificate chains, four DH
/// signatures, the handshake hash).</summary>
[MemoryDiagnoser]
public class AuditorBenchmarks
{
    private const int Messages = 1000;

    private List<ReadOnlyMemory<byte>> _lines = null!;
    private AuditOptions _options = null!;

    /// <summary>1 is the sequential path; -1 lets the auditor use every core.</summary>
    [Params(1, -1)]
    public int MaxDegreeOfParallelism { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var parties = new SessionParties();
        _lines = RecordedTranscript.Record(parties, Messages, textBytes: 100);
        _options = new AuditOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism };
        var report = TranscriptAuditor.Audit(_lines, BenchPki.Root, _options);
        if (!report.Complete || report.MessagesVerified != Messages)
        {
            throw new InvalidOperationException($"The recorded transcript does not audit as expected: {report.FirstFailure?.Reason}");
        }
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int Audit() => TranscriptAuditor.Audit(_lines, BenchPki.Root, _options).MessagesVerified;
}
