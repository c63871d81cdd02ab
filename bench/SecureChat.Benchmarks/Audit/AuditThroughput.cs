using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Crypto;
using SecureChat.Evidence.Audit;

namespace SecureChat.Benchmarks.Audit;

/// <summary>The auditor's throughput target measured directly: messages verified per second on a large file against
/// cores × the RSA-verify rate of one core, measured in the same run
/// (<c>dotnet run -c Release --project bench/SecureChat.Benchmarks -- audit-throughput [messages]</c>).</summary>
/// <remarks>BenchmarkDotNet reports time per operation; this reports the ratio the target is stated in, and the
/// CPU time per message beside the wall time, which stays meaningful when the machine is shared.</remarks>
internal static class AuditThroughput
{
    public static void Run(int messages)
    {
        using var parties = new SessionParties();
        Console.WriteLine($"recording a {messages}-message conversation…");
        var lines = RecordedTranscript.Record(parties, messages, textBytes: 100);
        var verifyPerSecond = VerifyRate(BenchPki.Client);
        var cores = Environment.ProcessorCount;
        var allCores = new double[cores];
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, i => allCores[i] = VerifyRate(BenchPki.Client));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RSA-2048 PSS verify: {verifyPerSecond:#,0}/s on one core, {allCores.Sum():#,0}/s on all {cores} at once; "
            + $"target 80 % of {cores} × one core = {0.8 * cores * verifyPerSecond:#,0} messages/s"));

        foreach (var degree in new[] { 1, -1 })
        {
            var options = new AuditOptions { MaxDegreeOfParallelism = degree };
            TranscriptAuditor.Audit(lines, BenchPki.Root, options);
            var best = double.MaxValue;
            var cpuOfBest = 0.0;
            var allocatedOfBest = 0L;
            for (var run = 0; run < 5; run++)
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var report = TranscriptAuditor.Audit(lines, BenchPki.Root, options);
                var wall = watch.Elapsed.TotalSeconds;
                var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                if (report.MessagesVerified != messages || !report.Complete)
                {
                    throw new InvalidOperationException($"the recorded file does not audit: {report.FirstFailure?.Reason}");
                }

                if (wall < best)
                {
                    best = wall;
                    cpuOfBest = used;
                    allocatedOfBest = allocated;
                }
            }

            var perSecond = messages / best;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"auditor, {(degree == 1 ? "one worker " : "every core ")}: {perSecond:#,0} messages/s (best of 5), "
                + $"{cpuOfBest / messages * 1e6:0.0} µs CPU per message against {1e6 / verifyPerSecond:0.0} µs of RSA verification; "
                + $"ratio to cores × verify = {perSecond / (cores * verifyPerSecond):0.00}; "
                + $"{(double)allocatedOfBest / messages:#,0} bytes allocated per message"));
        }
    }

    private static double VerifyRate(X509Certificate2 certificate)
    {
        using var key = VerificationKey.FromCertificate(certificate)!;
        using var signer = new SigningKey((System.Security.Cryptography.AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("an RSA key is needed"));
        var content = new byte[120];
        var signature = signer.Sign("securechat/1 msg", content);
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2))
        {
            key.Verify("securechat/1 msg", content, signature);
            count++;
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
