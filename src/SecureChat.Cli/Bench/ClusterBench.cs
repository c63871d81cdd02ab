using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MySqlConnector;
using SecureChat.Client;
using Spectre.Console;

namespace SecureChat.Cli.Bench;

/// <summary><c>securechat bench --nodes N</c>: a private <c>redis-server</c>, N server child processes on one MySQL/MariaDB
/// database, and a lobby relay phase with the members spread round-robin over the nodes: deliveries/s, latency and each
/// node's resident memory (docs/SCALING.md).</summary>
internal static class ClusterBench
{
    /// <summary>Members of the relay phase; each receives every other member's messages.</summary>
    public const int Members = 12;

    /// <summary>The environment variable read when <c>--db</c> is not given (the test suites' MariaDB).</summary>
    public const string DbVariable = "SECURECHAT_TEST_MYSQL";

    private const string Probe = "probe";

    /// <summary>Runs the phase; <paramref name="messages"/> is the total sent, spread over the members.</summary>
    public static async Task<int> RunAsync(int nodes, int messages, string? db, bool json, CancellationToken cancellationToken)
    {
        var connectionString = db is null ? Environment.GetEnvironmentVariable(DbVariable) : StripPrefix(db);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"--nodes needs a MySQL/MariaDB database: --db mysql:CONNECTION-STRING, or {DbVariable}.");
        }

        var work = Directory.CreateTempSubdirectory("securechat-bench-").FullName;
        var tag = Guid.NewGuid().ToString("N")[..8];
        try
        {
            var pki = DemoPki.MakePkiFiles(Path.Combine(work, "pki"));
            await using var redis = await RedisServer.StartAsync(cancellationToken).ConfigureAwait(false);
            var servers = new List<ServerProcess>();
            try
            {
                for (var i = 0; i < nodes; i++)
                {
                    var directory = Path.Combine(work, "node" + i);
                    Directory.CreateDirectory(directory);
                    servers.Add(await ServerProcess.StartAsync(directory, pki, cheapArgon2: true, cancellationToken, "mysql:" + connectionString,
                        ["--redis", redis.EndPoint, "--node", $"n{i}-{tag}"]).ConfigureAwait(false));
                }

                var options = ClientSetup.Load(pki, null, null, null, "server.local", null);
                var each = Math.Max(1, messages / Members);
                var result = await RelayAsync(servers, options, tag, each, cancellationToken).ConfigureAwait(false);
                var report = new Dictionary<string, object?>
                {
                    ["machine"] = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
                    ["cluster"] = new
                    {
                        nodes,
                        members = Members,
                        messages_each = each,
                        delivered = result.Delivered,
                        refused = result.Refused,
                        delivered_per_second = result.DeliveredPerSecond,
                        latency_ms = result.Latency,
                        node_rss_bytes = result.NodeRss,
                    },
                };
                Render(report, json);
                return 0;
            }
            finally
            {
                foreach (var server in servers)
                {
                    await server.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await ForgetAsync(connectionString, tag).ConfigureAwait(false);
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Result(long Delivered, int Refused, double DeliveredPerSecond, Latency Latency, long[] NodeRss);

    /// <summary>Every member sends <paramref name="each"/> lobby messages at once; each is delivered to the eleven others,
    /// on its own node directly and on the others through the bus.</summary>
    private static async Task<Result> RelayAsync(List<ServerProcess> servers, ChatClientOptions options, string tag, int each, CancellationToken cancellationToken)
    {
        var clients = new List<ChatClient>();
        try
        {
            for (var i = 0; i < Members; i++)
            {
                var name = $"bench{i}x{tag}";
                var client = await ChatClient.ConnectAsync("127.0.0.1", servers[i % servers.Count].Port, options, cancellationToken).ConfigureAwait(false);
                clients.Add(client);
                var response = await client.RegisterAsync($"{name}@bench.example", name, "bench password " + name, cancellationToken).ConfigureAwait(false);
                if (!response.Ok)
                {
                    throw new InvalidOperationException($"registration failed during the benchmark: {response.Message} ({response.Code})");
                }
            }

            await AwaitLobbyAsync(clients, cancellationToken).ConfigureAwait(false);
            var latencies = new ConcurrentBag<double>();
            long delivered = 0;
            var refused = 0;
            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiving = clients.Select(c => LoadGenerator.ReceiveUntilEndAsync(c, latencies, () => Interlocked.Increment(ref delivered), () => Interlocked.Increment(ref refused), done.Token)).ToArray();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select(async c =>
            {
                for (var m = 0; m < each; m++)
                {
                    await c.SendAsync(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                }
            })).ConfigureAwait(false);

            // Every message is delivered to every other member or refused to its author.
            var expected = (long)Members * each * (Members - 1);
            while (Volatile.Read(ref delivered) + ((long)Volatile.Read(ref refused) * (Members - 1)) < expected)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"{Volatile.Read(ref delivered)} of {expected} deliveries within 5 minutes");
                }

                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var rss = servers.Select(s => s.ResidentBytes()).ToArray();
            await done.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(receiving).ConfigureAwait(false);
            return new Result(delivered, refused, delivered / seconds, Latency.Of(latencies), rss);
        }
        finally
        {
            await Task.WhenAll(clients.Select(async c =>
            {
                await c.EndAsync(CancellationToken.None).ConfigureAwait(false);
                await c.DisposeAsync().ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
    }

    /// <summary>Returns once every member has received a lobby probe (sent by the first and the last member, which are
    /// on different nodes when there are several).</summary>
    private static async Task AwaitLobbyAsync(List<ChatClient> clients, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var joined = Task.WhenAll(clients.Select(async c =>
        {
            while (await c.Events.ReadAsync(timeout.Token).ConfigureAwait(false) is not ChatMessageReceived { Kind: "chat", Text: Probe })
            {
            }
        }));
        try
        {
            while (!joined.IsCompleted)
            {
                await clients[0].SendAsync(Probe, timeout.Token).ConfigureAwait(false);
                await clients[^1].SendAsync(Probe, timeout.Token).ConfigureAwait(false);
                await Task.WhenAny(joined, Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token)).ConfigureAwait(false);
            }

            await joined.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("the nodes did not relay lobby messages between the benchmark's members within 30 s");
        }
    }

    /// <summary>Removes this run's accounts (the server's tables are shared and unprefixed); the lobby messages stay
    /// until the retention purge.</summary>
    private static async Task ForgetAsync(string connectionString, string tag)
    {
        try
        {
            await using var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM users WHERE username LIKE @pattern";
            command.Parameters.AddWithValue("@pattern", "bench%x" + tag);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            // Nothing to remove, or the database is gone: the run's figures stand.
        }
    }

    private static string StripPrefix(string db) => db.StartsWith("mysql:", StringComparison.OrdinalIgnoreCase)
        ? db["mysql:".Length..]
        : throw new InvalidOperationException("--nodes needs --db mysql:CONNECTION-STRING (SQLite is one node's database).");

    private static void Render(Dictionary<string, object?> report, bool json)
    {
        var text = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        if (json)
        {
            Console.WriteLine(text);
            return;
        }

        AnsiConsole.WriteLine(text);
        AnsiConsole.MarkupLine("[dim]All nodes, Redis and the load generator share this machine: with more nodes than cores this measures the bus's overhead, not capacity.[/]");
    }
}
