using System.Diagnostics;

namespace SecureChat.Cli.Bench;

/// <summary>The CPU time the server process and this process (the simulated clients) used over one phase.</summary>
/// <remarks>On a machine shared with other work a rate depends on the share of the cores the run got; the CPU time
/// per operation does not, so it is what compares runs and builds on a loaded machine, beside the same floor.</remarks>
internal readonly struct CpuMeter
{
    private readonly Func<TimeSpan?> _server;
    private readonly TimeSpan? _serverStart;
    private readonly TimeSpan _ownStart;

    private CpuMeter(Func<TimeSpan?> server)
    {
        _server = server;
        _serverStart = server();
        _ownStart = OwnCpu();
    }

    /// <summary>Starts measuring; <paramref name="server"/> gives the server's CPU time so far, or
    /// <see langword="null"/> when the server is not a child of this process.</summary>
    public static CpuMeter Start(Func<TimeSpan?> server) => new(server);

    /// <summary>Milliseconds of CPU per operation since the start: the server's (null when unknown), this process's,
    /// and both together (null when the server's is unknown).</summary>
    public CpuCost PerOperation(int operations)
    {
        var own = (OwnCpu() - _ownStart).TotalMilliseconds / Math.Max(1, operations);
        double? server = _server() is { } now && _serverStart is { } start ? (now - start).TotalMilliseconds / Math.Max(1, operations) : null;
        return new CpuCost(server, own);
    }

    private static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

/// <summary>CPU milliseconds per operation of the server, of the clients, and of both.</summary>
internal readonly record struct CpuCost(double? ServerMilliseconds, double ClientMilliseconds)
{
    public double? TotalMilliseconds => ServerMilliseconds + ClientMilliseconds;

    /// <summary>The floor's milliseconds over the milliseconds spent: the ratio to the floor that the share of the
    /// machine the run got does not change.</summary>
    public double? RatioTo(double floorMilliseconds) => TotalMilliseconds is > 0 and { } total ? floorMilliseconds / total : null;
}
