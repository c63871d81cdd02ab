using SecureChat.Evidence.Audit;
using static SecureChat.Evidence.Tests.Audit.AuditAssert;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>A 2 000-message session, audited on every core and on one.</summary>
public sealed class LargeTranscriptFixture : IDisposable
{
    public const int Messages = 2000;

    private readonly RecordedConversation _conversation;

    public LargeTranscriptFixture()
    {
        _conversation = new RecordedConversation().Handshake();

        // Irregular interleaving: runs of one direction of varying length.
        for (var i = 0; i < Messages; i++)
        {
            _conversation.Say(fromClient: i % 7 is not (2 or 3 or 5), $"message {i}");
        }

        _conversation.Deliver(toServer: false, _conversation.End(fromClient: false));
    }

    internal TranscriptFile ClientFile => new(_conversation.ClientLog.Lines);

    public void Dispose() => _conversation.Dispose();
}

public sealed class LargeTranscriptTests(LargeTranscriptFixture fixture) : IClassFixture<LargeTranscriptFixture>
{
    private static readonly AuditOptions Sequential = new() { ParallelThreshold = int.MaxValue };

    [Fact]
    public void Parallel_and_sequential_audits_give_the_same_report()
    {
        var file = fixture.ClientFile;

        var parallel = file.Audit();
        var sequential = file.Audit(Sequential);

        Assert.True(parallel.VerifiedInParallel);
        Assert.False(sequential.VerifiedInParallel);
        Assert.True(parallel.Complete, parallel.FirstFailure?.Reason);
        Assert.Equal(LargeTranscriptFixture.Messages, parallel.MessagesVerified);
        Assert.Equal(LargeTranscriptFixture.Messages, parallel.PlaintextsVerified);
        Assert.Equal(sequential.ToJson(), parallel.ToJson());
    }

    [Fact]
    public void Lowest_bad_signature_wins_whatever_the_scheduling()
    {
        var file = fixture.ClientFile;
        var lines = file.MessageLines().ToList();
        foreach (var line in new[] { lines[1999], lines[1700], lines[1234], lines[1500] })
        {
            file.Edit<TranscriptMessageLine>(line, m => m with { Sig = Tamper.FlipBase64(m.Sig, 3) });
        }

        var sequential = file.Audit(Sequential);
        AssertFails(sequential, lines[1234], AuditFindingKind.BadMessageSignature);
        for (var run = 0; run < 5; run++)
        {
            var parallel = file.Audit();
            Assert.True(parallel.VerifiedInParallel);
            Assert.Equal(sequential.ToJson(), parallel.ToJson());
        }
    }

    [Fact]
    public void Earlier_failure_of_another_kind_wins_over_a_later_bad_signature()
    {
        var file = fixture.ClientFile;
        var lines = file.MessageLines().ToList();
        file.Edit<TranscriptMessageLine>(lines[1800], m => m with { Sig = Tamper.FlipBase64(m.Sig) });
        file.Delete(lines[900]);

        var parallel = file.Audit();

        Assert.Equal(AuditFindingKind.SequenceGap, parallel.FirstFailure!.Kind);
        Assert.True(parallel.FirstFailure.LineNumber < lines[1800]);
        Assert.Equal(file.Audit(Sequential).ToJson(), parallel.ToJson());
    }

    [Fact]
    public void Small_files_and_a_single_worker_use_the_sequential_path()
    {
        var small = fixture.ClientFile.KeepFirst(30);

        Assert.False(small.Audit().VerifiedInParallel);
        Assert.True(small.Audit(new AuditOptions { ParallelThreshold = 2 }).VerifiedInParallel);
        Assert.Equal(small.Audit().ToJson(), small.Audit(new AuditOptions { ParallelThreshold = 2 }).ToJson());
        Assert.False(fixture.ClientFile.Audit(new AuditOptions { MaxDegreeOfParallelism = 1 }).VerifiedInParallel);
    }

    public static TheoryData<string> Tamperings() => ["none", "malformed", "too-long", "bad-signatures", "deleted", "swapped", "malformed-after-bad-signature"];

    /// <summary>Chunks are checked on several threads and judged in order: whatever the worker count and wherever a
    /// failure falls (chunk boundaries included), the report is that of the one-line-at-a-time audit.</summary>
    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Every_worker_count_gives_the_sequential_report(string tampering)
    {
        var file = fixture.ClientFile;
        var lines = file.MessageLines().ToList();
        switch (tampering)
        {
            case "malformed":
                file.Replace(lines[600], "{\"type\":\"msg\",\"dir\":"u8.ToArray());
                break;
            case "too-long":
                file.Replace(lines[777], new byte[70000]);
                break;
            case "bad-signatures":
                foreach (var line in new[] { lines[1500], lines[251], lines[250] })
                {
                    file.Edit<TranscriptMessageLine>(line, m => m with { Sig = Tamper.FlipBase64(m.Sig, 3) });
                }

                break;
            case "deleted":
                file.Delete(lines[1024]);
                break;
            case "swapped":
                file.Swap(lines[252], lines[253]);
                break;
            case "malformed-after-bad-signature":
                file.Edit<TranscriptMessageLine>(lines[300], m => m with { Sig = Tamper.FlipBase64(m.Sig, 3) });
                file.Replace(lines[301], "x"u8.ToArray());
                break;
        }

        var sequential = file.Audit(Sequential with { MaxLineBytes = 65536 });
        Assert.Equal(tampering == "none", sequential.Accepted);
        var expected = sequential.ToJson();
        foreach (var workers in new[] { 1, 2, 3, 8 })
        {
            var report = file.Audit(new AuditOptions { MaxDegreeOfParallelism = workers, MaxLineBytes = 65536 });
            Assert.Equal(workers != 1, report.VerifiedInParallel);
            Assert.Equal(expected, report.ToJson());
        }
    }
}
