using BenchmarkDotNet.Running;

namespace SecureChat.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/SecureChat.Benchmarks -- --filter '*Crypto*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen by the command line (BenchmarkDotNet's own options).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
