using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureChat.Integration.Tests.Cluster;

/// <summary>A <c>redis-server</c> of this test alone, on a free loopback port, with no persistence; it can be stopped and
/// started again on the same port.</summary>
internal sealed class RedisProcess : IAsyncDisposable
{
    private Process? _process;

    private RedisProcess(int port) => Port = port;

    public int Port { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>Where <c>redis-server</c> is, or null.</summary>
    public static string? Executable { get; } = Find();

    /// <summary>Why the cluster tests are skipped in this run (no <c>redis-server</c> locally, or no MariaDB), or null.</summary>
    public static string? SkipReason => MySqlTestEnvironment.CurrentSkipReason
        ?? (Executable is null && !MySqlTestEnvironment.IsCi
            ? "Cluster tests skipped: redis-server is not installed (apt-get install redis-server); with CI=true they fail instead."
            : null);

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException(
            "redis-server is not installed, but CI=true requires the cluster tests to run: apt-get install redis-server.");
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await PingAsync())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer within 10 s");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server (SIGKILL) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<bool> PingAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(1));
            var stream = tcp.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "redis-server")).FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs <c>redis-server</c> and MariaDB: skipped with a reason when either is missing locally, never
/// skipped with <c>CI=true</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (RedisProcess.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
