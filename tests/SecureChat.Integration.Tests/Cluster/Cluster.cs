using SecureChat.Client;
using SecureChat.Integration.Tests.Conversations;

namespace SecureChat.Integration.Tests.Cluster;

/// <summary>Three server nodes in this process on one MariaDB database and one Redis of this test, each on its own
/// loopback port with its own transcripts; the people of <see cref="People"/> (per-user certificates).</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly RunningServer?[] _nodes;
    private readonly TcpProxy[] _links;

    private Cluster(RedisProcess redis, People people, RunningServer?[] nodes, TcpProxy[] links)
    {
        Redis = redis;
        People = people;
        _nodes = nodes;
        _links = links;
    }

    public RedisProcess Redis { get; }

    public People People { get; }

    public RunningServer this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} was killed");

    /// <summary>Starts the cluster; each node reaches Redis through a proxy of its own (see <see cref="CutOffFromRedis"/>),
    /// and keeps its presence for <paramref name="presenceTtlSeconds"/> after its last heartbeat.</summary>
    public static async Task<Cluster> StartAsync(double presenceTtlSeconds = 15)
    {
        var redis = await RedisProcess.StartAsync();
        var people = People.On("mysql");
        var nodes = new RunningServer?[3];
        var links = new TcpProxy[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var name = "node" + (char)('a' + i);
            var link = links[i] = new TcpProxy("127.0.0.1", redis.Port);
            nodes[i] = await RunningServer.StartAsync(o =>
            {
                o.Identity = "per-user";
                o.Db = people.Db;
                o.Redis = $"127.0.0.1:{link.Port}";
                o.Node = name + Guid.NewGuid().ToString("N")[..4];
                o.PresenceTtlSeconds = presenceTtlSeconds;
            });
        }

        return new Cluster(redis, people, nodes, links);
    }

    /// <summary>Cuts node <paramref name="index"/> off from Redis: to the other nodes it is as good as dead (no heartbeat,
    /// and it cannot remove its own presence), while its sessions stay open.</summary>
    public void CutOffFromRedis(int index) => _links[index].Cut();

    /// <summary>Connects person <paramref name="person"/> to node <paramref name="node"/>, registering it the first time.</summary>
    public async Task<ChatClient> ConnectAsync(int person, int node)
    {
        var client = await ChatClient.ConnectAsync("127.0.0.1", this[node].Port, this[node].ClientOptions(People.Name(person), People.CertificateOf(person)));
        var login = await client.LoginAsync(People.EmailOf(person), "correct horse battery");
        if (!login.Ok)
        {
            var register = await client.RegisterAsync(People.EmailOf(person), People.Name(person), "correct horse battery");
            Assert.True(register.Ok, $"{People.Name(person)}: {register.Code} {register.Message}");
        }

        return client;
    }

    /// <summary>Ends node <paramref name="index"/> abruptly: its sessions are cut without receipts, nothing is
    /// handed over, and its presence is left to expire.</summary>
    public async Task KillAsync(int index)
    {
        var node = this[index];
        _nodes[index] = null;

        // Disposing without StopAsync skips the graceful end: the listener and every connection are dropped at once.
        await node.Server.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var node in _nodes)
            {
                if (node is not null)
                {
                    node.DeleteFilesOnDispose = true;
                    await node.DisposeAsync();
                }
            }
        }
        finally
        {
            foreach (var link in _links)
            {
                await link.DisposeAsync();
            }

            await Redis.DisposeAsync();
        }
    }
}
