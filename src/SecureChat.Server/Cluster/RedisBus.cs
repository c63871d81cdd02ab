using StackExchange.Redis;

namespace SecureChat.Server.Cluster;

/// <summary>The bus of several nodes over Redis: pub/sub channel <c>securechat:messages</c> for relayed messages, and one
/// set per node, <c>securechat:presence:NODE</c>, rewritten every <see cref="Heartbeat"/> (a third of
/// <see cref="PresenceTtl"/>) with a time to live of <see cref="PresenceTtl"/>, so that the users of a node that died
/// drop out of everyone's presence.</summary>
/// <remarks>Redis is never waited for: a command to a Redis that is down fails at once (the node goes on serving its own
/// sessions), and the connection is re-established in the background; when it is, the hub is told to catch up from the
/// record.</remarks>
public sealed class RedisBus : IMessageBus
{
    /// <summary>The pub/sub channel of relayed messages.</summary>
    public const string Channel = "securechat:messages";

    /// <summary>The set of every node that ever announced presence.</summary>
    public const string NodesKey = "securechat:nodes";

    /// <summary>How long a node's presence outlives its last heartbeat unless told otherwise.</summary>
    public static readonly TimeSpan DefaultPresenceTtl = TimeSpan.FromSeconds(15);

    private static readonly RedisChannel MessagesChannel = RedisChannel.Literal(Channel);
    private readonly ConnectionMultiplexer _redis;
    private readonly string _endpoint;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _presenceChanged = new(0, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<BusEnvelope> _unsent = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _heartbeat = Task.CompletedTask;
    private Func<IReadOnlyCollection<string>> _localUsers = () => [];
    private Func<BusEnvelope, Task>? _onEnvelope;
    private bool _subscribed;
    private int _disposed;

    private RedisBus(ConnectionMultiplexer redis, string endpoint, string node, ILogger log, TimeSpan presenceTtl)
    {
        _redis = redis;
        _endpoint = endpoint;
        Node = node;
        _log = log;
        PresenceTtl = presenceTtl;
        _redis.ConnectionFailed += (_, e) => Log.BusDown(_log, _endpoint, e.Exception?.Message ?? e.FailureType.ToString());
    }

    /// <inheritdoc/>
    public string Node { get; }

    /// <summary>How long this node's presence outlives its last heartbeat.</summary>
    public TimeSpan PresenceTtl { get; }

    /// <summary>How often this node rewrites its presence: a third of <see cref="PresenceTtl"/>.</summary>
    public TimeSpan Heartbeat => PresenceTtl / 3;

    /// <summary>The key of one node's presence set.</summary>
    public static string PresenceKey(string node) => "securechat:presence:" + node;

    /// <summary>Connects to Redis at <paramref name="endpoint"/> (<c>HOST:PORT</c>); a Redis that is down at start-up
    /// does not stop the node: it is reached when it comes up. <paramref name="presenceTtl"/> defaults to
    /// <see cref="DefaultPresenceTtl"/>.</summary>
    public static async Task<RedisBus> ConnectAsync(string endpoint, string node, ILogger log, TimeSpan? presenceTtl = null)
    {
        var ttl = presenceTtl ?? DefaultPresenceTtl;
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(presenceTtl), ttl, "the presence TTL must be positive");
        }

        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        options.KeepAlive = 5;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "securechat-" + node;
        var redis = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        return new RedisBus(redis, endpoint, node, log, ttl);
    }

    /// <inheritdoc/>
    public async Task StartAsync(Func<BusEnvelope, Task> onEnvelope, Action onRestored, Func<IReadOnlyCollection<string>> localUsers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEnvelope);
        ArgumentNullException.ThrowIfNull(onRestored);
        _localUsers = localUsers ?? throw new ArgumentNullException(nameof(localUsers));
        _redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                // Give the resubscription a moment, then let every session fetch what it may have missed.
                _ = Task.Delay(TimeSpan.FromMilliseconds(500)).ContinueWith(_ => onRestored(), TaskScheduler.Default);
            }

            PresenceChanged();
        };

        _onEnvelope = onEnvelope;
        await TrySubscribeAsync().ConfigureAwait(false);
        _heartbeat = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
    }

    /// <summary>Subscribes once; a Redis that is down at start-up is subscribed to at a later heartbeat (the multiplexer
    /// then keeps the subscription across reconnections).</summary>
    private async Task TrySubscribeAsync()
    {
        if (_subscribed || _onEnvelope is not { } onEnvelope)
        {
            return;
        }

        try
        {
            // Messages from one channel are handled one at a time, in the order Redis delivered them.
            var queue = await _redis.GetSubscriber().SubscribeAsync(MessagesChannel).ConfigureAwait(false);
            queue.OnMessage(async message =>
            {
                if (BusEnvelope.TryParse(message.Message) is { } envelope)
                {
                    await onEnvelope(envelope).ConfigureAwait(false);
                }
            });
            _subscribed = true;
        }
        catch (RedisException e)
        {
            Log.BusDown(_log, _endpoint, e.Message);
        }
    }

    /// <inheritdoc/>
    public async Task PublishAsync(BusEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        try
        {
            await FlushUnsentAsync().ConfigureAwait(false);
            await _redis.GetSubscriber().PublishAsync(MessagesChannel, envelope.ToJson()).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            // Kept, in order, and published once Redis is back: the other nodes' sessions get it live then, not only
            // at their users' next login (the record has it either way).
            if (_unsent.Count < MaxUnsent)
            {
                _unsent.Enqueue(envelope);
            }

            throw new MessageBusUnavailableException($"Redis {_endpoint}: {e.Message}", e);
        }
    }

    /// <summary>How many announcements a node keeps while Redis is down; beyond it the record alone catches up.</summary>
    public const int MaxUnsent = 10_000;

    /// <summary>Publishes what could not be published while Redis was down, oldest first; stops at the first failure.</summary>
    private async Task FlushUnsentAsync()
    {
        while (_unsent.TryPeek(out var envelope))
        {
            await _redis.GetSubscriber().PublishAsync(MessagesChannel, envelope.ToJson()).ConfigureAwait(false);
            _unsent.TryDequeue(out _);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyCollection<string>> RemoteUsersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var db = _redis.GetDatabase();
            var nodes = await db.SetMembersAsync(NodesKey).ConfigureAwait(false);
            var reads = nodes.Select(n => (string)n!).Where(n => n != Node).Select(n => db.SetMembersAsync(PresenceKey(n))).ToList();
            var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var read in reads)
            {
                users.UnionWith((await read.ConfigureAwait(false)).Select(u => (string)u!));
            }

            return users;
        }
        catch (RedisException)
        {
            return [];
        }
    }

    /// <inheritdoc/>
    public void PresenceChanged()
    {
        try
        {
            _presenceChanged.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rewrite is already due.
        }
    }

    /// <inheritdoc/>
    /// <remarks>Idempotent: the host's container and the hub may both dispose it.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        try
        {
            // A node that stops takes its users out of presence at once; one that dies, after the TTL.
            await _redis.GetDatabase().KeyDeleteAsync(PresenceKey(Node)).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Expires by itself.
        }

        await _redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _redis.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _presenceChanged.Dispose();
    }

    private async Task HeartbeatLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            await TrySubscribeAsync().ConfigureAwait(false);
            await WritePresenceAsync().ConfigureAwait(false);
            try
            {
                await FlushUnsentAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Still down: the next beat tries again.
            }
            try
            {
                await _presenceChanged.WaitAsync(Heartbeat, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WritePresenceAsync()
    {
        var key = PresenceKey(Node);
        var users = _localUsers().Select(u => (RedisValue)u).ToArray();
        try
        {
            var transaction = _redis.GetDatabase().CreateTransaction();
            _ = transaction.SetAddAsync(NodesKey, Node);
            _ = transaction.KeyDeleteAsync(key);
            if (users.Length > 0)
            {
                _ = transaction.SetAddAsync(key, users);
                _ = transaction.KeyExpireAsync(key, PresenceTtl);
            }

            await transaction.ExecuteAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Written at the next heartbeat; meanwhile this node's users expire from the others' presence.
        }
    }
}
