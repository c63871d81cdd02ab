using System.Diagnostics;
using System.Globalization;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Crypto;
using SecureChat.Evidence;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Benchmarks.Audit;

/// <summary>What each step of auditing one message line costs on one thread, in µs per message
/// (<c>dotnet run -c Release --project bench/SecureChat.Benchmarks -- audit-steps [messages]</c>).</summary>
/// <remarks>A sampling profiler loses the managed callers of OpenSSL frames, so the steps are timed one by one on
/// the same recorded lines instead; the figures add up to roughly the auditor's CPU time per message.</remarks>
internal static class AuditSteps
{
    public static void Run(int messages)
    {
        using var parties = new SessionParties();
        var lines = RecordedTranscript.Record(parties, messages, textBytes: 100);
        var header = (TranscriptHeader)TranscriptJson.TryParse(lines[0].Span)!;
        var sessionId = Convert.FromHexString(header.SessionId);
        var records = lines.Select(l => TranscriptJson.TryParse(l.Span)).OfType<TranscriptMessageLine>().ToArray();
        using var key = VerificationKey.FromCertificate(BenchPki.Client)!;
        var content = new byte[sessionId.Length + 17 + 128 + 32];

        Time("parse line (System.Text.Json, source-generated)", lines.Count, i => TranscriptJson.TryParse(lines[i].Span) is null ? 1 : 0);
        Time("decode ct, commit, sig (canonical base64)", records.Length, i =>
            WireBytes.TryFromCanonicalBase64(records[i].Ct, out var a) & WireBytes.TryFromCanonicalBase64(records[i].Commit, out var b)
            & WireBytes.TryFromCanonicalBase64(records[i].Sig, out var c) ? a.Length + b.Length + c.Length : 0);
        Time("decode plaintext (canonical base64)", records.Length, i =>
            WireBytes.TryFromCanonicalBase64(records[i].Plaintext!, out var p) ? p.Length : 0);
        Time("meta, signed content, signature input", records.Length, i =>
            SignatureInput.Build(Labels.Msg, MessageEnvelope.SignedContent(MessageEnvelope.Meta(sessionId, Direction.ClientToServer,
                records[i].Seqno, records[i].Ts), content, content)).Length);
        var signature = Convert.FromBase64String(records[0].Sig);
        Time("RSA-2048 PSS verify (VerificationKey.Verify)", Math.Min(records.Length, 4000), _ => key.Verify(Labels.Msg, content, signature) ? 1 : 0);
        Time("plaintext commitment (SHA-256)", records.Length, i => MessageEnvelope.CommitmentMatches(content, content) ? 1 : 0);
        var chains = new MessageChains(sessionId);
        Time("chain hash (in order)", records.Length, i =>
        {
            // As the auditor appends: from the line's fields, without a ChatMessage.
            chains.Append(Direction.ClientToServer, chains.Count(Direction.ClientToServer) + 1, records[i].Ts, records[i].Ct,
                records[i].Commit, records[i].Sig);
            return 1;
        });
        Time("chat plaintext decode for the report (parallel)", records.Length, i =>
            WireBytes.TryFromCanonicalBase64(records[i].Plaintext!, out var p) ? MessageCodec.DecodeChat(p).Text?.Length ?? 0 : 0);
    }

    private static void Time(string step, int count, Func<int, int> body)
    {
        var sink = 0;
        // A whole untimed pass first, so that tiered compilation has finished with the code that is timed.
        for (var i = 0; i < count; i++)
        {
            sink += body(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            sink += body(i);
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step,-52} {elapsed / count * 1e6,7:0.00} µs  {(double)allocated / count,7:0} B per message{(sink == int.MinValue ? "!" : "")}"));
    }
}
