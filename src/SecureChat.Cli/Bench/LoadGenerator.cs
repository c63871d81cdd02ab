using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SecureChat.Client;

namespace SecureChat.Cli.Bench;

/// <summary>Latency figures of one phase, in milliseconds.</summary>
internal sealed record Latency(double Min, double Median, double P99)
{
    public static Latency Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Latency(0, 0, 0);
        }

        var sorted = samples.Order().ToArray();
        return new Latency(sorted[0], sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)]);
    }
}

/// <summary>Drives a real server over loopback with many concurrent real clients.</summary>
internal sealed partial class LoadGenerator(string host, int port, Func<string, ChatClientOptions> optionsFor)
{
    /// <summary>The text of the messages that check the room before a relay phase; measured messages carry a timestamp.</summary>
    private const string Probe = "probe";

    /// <summary>Accounts registered so far and not yet used for a measured login.</summary>
    private readonly ConcurrentQueue<string> _registered = new();
    private int _nextUser;

    /// <summary>Registers <paramref name="count"/> accounts for a later <see cref="SetupSessionsAsync"/> with
    /// <c>login: true</c>; not part of what that measures (a registration also writes to the database).</summary>
    /// <returns>The number of accounts ready to log in with.</returns>
    public async Task<int> RegisterAccountsAsync(int count, int concurrency, Action<int> progress, CancellationToken cancellationToken)
    {
        await RunSessionsAsync(count, concurrency, keep: false, login: false, progress, cancellationToken).ConfigureAwait(false);
        return _registered.Count;
    }

    /// <summary>Opens <paramref name="count"/> sessions (connect, certificate exchange, both DH phases and a login to a
    /// registered account, or a registration of a new one) with bounded concurrency.</summary>
    public Task<(double PerSecond, Latency Latency, List<ChatClient> Clients)> SetupSessionsAsync(int count, int concurrency, bool keep, bool login,
        Action<int> progress, CancellationToken cancellationToken) =>
        RunSessionsAsync(count, concurrency, keep, login, progress, cancellationToken);

    private async Task<(double PerSecond, Latency Latency, List<ChatClient> Clients)> RunSessionsAsync(int count, int concurrency, bool keep, bool login,
        Action<int> progress, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var kept = new ConcurrentBag<ChatClient>();
        var done = 0;
        using var gate = new SemaphoreSlim(concurrency);
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var client = await ConnectAsync(login, cancellationToken).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (keep)
                {
                    kept.Add(client);
                }
                else
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                }

                progress(Interlocked.Increment(ref done));
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return (count / watch.Elapsed.TotalSeconds, Latency.Of(latencies), [.. kept]);
    }

    /// <summary>One sender, <paramref name="receivers"/> receivers: messages/s delivered and end-to-end latency.</summary>
    public async Task<(double SentPerSecond, double DeliveredPerSecond, Latency Latency)> RelayAsync(int senders, int receivers, int messagesPerSender,
        Action<int> progress, CancellationToken cancellationToken)
    {
        var clients = new List<ChatClient>();
        for (var i = 0; i < senders + receivers; i++)
        {
            clients.Add(await ConnectAsync(login: false, cancellationToken).ConfigureAwait(false));
        }

        try
        {
            await AwaitRoomAsync(clients, cancellationToken).ConfigureAwait(false);

            // Everyone receives everyone else's messages: a sender also receives the other senders'.
            var expectedPerClient = clients.Select((_, i) => (senders - (i < senders ? 1 : 0)) * messagesPerSender).ToArray();
            var latencies = new ConcurrentBag<double>();
            var delivered = 0;
            var receiving = clients.Select((c, i) => ReceiveAsync(c, expectedPerClient[i], latencies, () => progress(Interlocked.Increment(ref delivered)), cancellationToken)).ToArray();
            var watch = Stopwatch.StartNew();
            var sending = clients.Take(senders).Select(async c =>
            {
                for (var m = 0; m < messagesPerSender; m++)
                {
                    await c.SendAsync(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                }
            }).ToArray();
            await Task.WhenAll(sending).ConfigureAwait(false);
            var sentSeconds = watch.Elapsed.TotalSeconds;
            await Task.WhenAll(receiving).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            return (senders * messagesPerSender / sentSeconds, delivered / seconds, Latency.Of(latencies));
        }
        finally
        {
            await Task.WhenAll(clients.Select(async c =>
            {
                await c.EndAsync(cancellationToken).ConfigureAwait(false);
                await c.DisposeAsync().ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
    }

    /// <summary>Returns once the server relays to every client.</summary>
    /// <remarks>A client's session is established when it has the server's last handshake frame, and the server
    /// adds the session to its room just after sending that frame: a message relayed in between never reaches the
    /// new client, and a phase that counts on it would wait for ever. The first client probes everyone else and the
    /// last probes the first, until every client has seen a probe.</remarks>
    private static async Task AwaitRoomAsync(List<ChatClient> clients, CancellationToken cancellationToken)
    {
        if (clients.Count < 2)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var joined = Task.WhenAll(clients.Select(c => WaitForProbeAsync(c, timeout.Token)));
        try
        {
            while (!joined.IsCompleted)
            {
                await clients[0].SendAsync(Probe, timeout.Token).ConfigureAwait(false);
                await clients[^1].SendAsync(Probe, timeout.Token).ConfigureAwait(false);
                await Task.WhenAny(joined, Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token)).ConfigureAwait(false);
            }

            await joined.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("the server did not relay messages between the benchmark's clients within 30 s");
        }
    }

    private static async Task WaitForProbeAsync(ChatClient client, CancellationToken cancellationToken)
    {
        while (await client.Events.ReadAsync(cancellationToken).ConfigureAwait(false) is var e and not ChatMessageReceived { Kind: "chat", Text: Probe })
        {
            ThrowIfEnded(e, "before the phase began");
        }
    }

    /// <summary>A session the server ended stops the phase with why, rather than with the closed event channel.</summary>
    private static void ThrowIfEnded(ChatEvent e, string when)
    {
        if (e is ChatEnded ended)
        {
            throw new InvalidOperationException($"the server ended a benchmark session {when}: {ended.Error?.Message ?? "it sent its receipt"}");
        }
    }

    private static async Task ReceiveAsync(ChatClient client, int expected, ConcurrentBag<double> latencies, Action onMessage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var received = 0;
        try
        {
            while (received < expected)
            {
                // Probes still in flight from AwaitRoomAsync carry no timestamp and do not count.
                var e = await client.Events.ReadAsync(timeout.Token).ConfigureAwait(false);
                ThrowIfEnded(e, $"after it had received {received} of {expected} messages");
                if (e is ChatMessageReceived { Kind: "chat" } message
                    && long.TryParse(message.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    received++;
                    onMessage();
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"a client received {received} of {expected} messages within 5 minutes");
        }
    }

    private async Task<ChatClient> ConnectAsync(bool login, CancellationToken cancellationToken)
    {
        string name;
        if (login)
        {
            name = _registered.TryDequeue(out var account) ? account : throw new InvalidOperationException("no registered account left to log in with");
        }
        else
        {
            name = $"bench{Interlocked.Increment(ref _nextUser)}x{Environment.ProcessId}";
        }

        var client = await ChatClient.ConnectAsync(host, port, optionsFor(name), cancellationToken).ConfigureAwait(false);
        var response = login
            ? await client.LoginAsync($"{name}@bench.example", "bench password " + name, cancellationToken).ConfigureAwait(false)
            : await client.RegisterAsync($"{name}@bench.example", name, "bench password " + name, cancellationToken).ConfigureAwait(false);
        if (!response.Ok)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"{(login ? "login" : "registration")} failed during the benchmark: {response.Message} ({response.Code})");
        }

        if (!login)
        {
            _registered.Enqueue(name);
        }

        return client;
    }
}
