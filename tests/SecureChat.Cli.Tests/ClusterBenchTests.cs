using System.Text.Json.Nodes;
using SecureChat.Cli.Bench;

namespace SecureChat.Cli.Tests;

/// <summary>A smoke run of <c>securechat bench --nodes 2</c>: a private redis-server, two server processes on MariaDB and
/// a tiny lobby relay. The numbers are not judged; that the run reported every figure is.</summary>
public sealed class ClusterBenchTests
{
    [ClusterBenchFact]
    public async Task A_two_node_run_reports_deliveries_latency_and_each_nodes_memory_as_json()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["bench", "--nodes", "2", "--messages", "24", "--db", "mysql:" + MySqlTestEnvironment.RequireConnectionString(), "--json"],
            new ChildProcessOptions { Timeout = TimeSpan.FromSeconds(180) });

        CliAssert.Succeeded(result);
        var cluster = (JsonNode.Parse(result.StandardOutput) as JsonObject)?["cluster"] as JsonObject;
        Assert.True(cluster is not null, result.StandardOutput);
        Assert.Equal(2, (int)cluster["nodes"]!);
        Assert.Equal(2, (int)cluster["messages_each"]!);
        Assert.Equal(ClusterBench.Members * 2 * (ClusterBench.Members - 1), (long)cluster["delivered"]! + ((int)cluster["refused"]! * (ClusterBench.Members - 1)));
        Assert.True((double)cluster["delivered_per_second"]! > 0, cluster.ToJsonString());
        Assert.True((double)cluster["latency_ms"]!["p99"]! > 0, cluster.ToJsonString());
        var rss = cluster["node_rss_bytes"]!.AsArray();
        Assert.Equal(2, rss.Count);
        Assert.All(rss, r => Assert.True((long)r! > 0, cluster.ToJsonString()));
        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Path));
    }
}

/// <summary>A fact that needs <c>redis-server</c> and MariaDB: skipped with a reason when either is missing locally, never
/// skipped with <c>CI=true</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ClusterBenchFactAttribute : FactAttribute
{
    public ClusterBenchFactAttribute()
    {
        Skip = MySqlTestEnvironment.CurrentSkipReason
            ?? (RedisServer.Executable() is null && !MySqlTestEnvironment.IsCi
                ? "Cluster bench skipped: redis-server is not installed (apt-get install redis-server); with CI=true it fails instead."
                : null);
    }
}
