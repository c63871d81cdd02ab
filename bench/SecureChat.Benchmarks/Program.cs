using System.Globalization;
using BenchmarkDotNet.Running;
using SecureChat.Benchmarks.Audit;

namespace SecureChat.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/SecureChat.Benchmarks -- --filter '*Crypto*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen by the command line (BenchmarkDotNet's own options), or with
    /// <c>audit-throughput [messages]</c> the auditor's throughput against its target, or with
    /// <c>audit-steps [messages]</c> what each step of auditing a message costs.</summary>
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["audit-throughput", ..])
        {
            AuditThroughput.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
            return;
        }

        if (args is ["audit-steps", ..])
        {
            AuditSteps.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
