using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SecureChat.Client;

namespace SecureChat.Cli.Bench;

/// <summary>What the room fan-out phase measured.</summary>
/// <param name="Members">Sessions in the room, one user each: one author and the readers.</param>
/// <param name="Messages">Messages the author sent to the room.</param>
/// <param name="SentPerSecond">Messages the author's socket took per second (backpressure paces it).</param>
/// <param name="Delivered">Copies the readers received, out of <c>Messages × (Members − 1)</c>.</param>
/// <param name="DeliveredPerSecond">Copies received per second, from the first send to the last delivery.</param>
/// <param name="Refused">Messages the server refused to the author instead of relaying them.</param>
/// <param name="Latency">From the author's send to each delivery.</param>
/// <param name="ServerCpu">CPU time the server used from the first send to the end of the phase (null: not known).</param>
/// <param name="OwnCpu">CPU time this process (the author and the readers) used over the same span.</param>
/// <param name="DroppedSessions">Sessions of the room that the server ended before the phase ended them (a reader it
/// judged not to be reading); their missing copies are not delivered.</param>
internal sealed record RoomFanOutResult(int Members, int Messages, double SentPerSecond, long Delivered, double DeliveredPerSecond, int Refused,
    Latency Latency, TimeSpan? ServerCpu, TimeSpan OwnCpu, int DroppedSessions);

/// <summary>The room fan-out phase: one author, a named room of many members, every copy stored and signed per reader.</summary>
internal sealed partial class LoadGenerator
{
    /// <summary>Registers <paramref name="members"/> users, has each join <paramref name="room"/> (waiting for its
    /// <c>joined</c> notice), then the first sends <paramref name="messages"/> messages to the room, at
    /// <paramref name="rate"/> messages per second or (0) as fast as the server takes them, while every other member
    /// counts what it receives.</summary>
    /// <param name="serverCpu">Reads the server's CPU time so far (null: not known, for example a remote server).</param>
    public async Task<RoomFanOutResult> RoomFanOutAsync(string room, int members, int messages, double rate, Func<TimeSpan?> serverCpu,
        Action<int> progress, CancellationToken cancellationToken)
    {
        var clients = new List<ChatClient>();
        for (var i = 0; i < members; i++)
        {
            clients.Add(await ConnectAsync(login: false, cancellationToken).ConfigureAwait(false));
        }

        try
        {
            await JoinAllAsync(clients, room, cancellationToken).ConfigureAwait(false);
            var author = clients[0];
            var readers = clients.Skip(1).ToList();
            var latencies = new ConcurrentBag<double>();
            var delivered = 0L;
            var refused = 0;
            var lastDelivery = 0L;
            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiving = readers.Select(c => ReceiveRoomAsync(c, room, messages, latencies, () =>
            {
                Volatile.Write(ref lastDelivery, Stopwatch.GetTimestamp());
                progress((int)Interlocked.Increment(ref delivered));
            }, done.Token)).ToList();
            receiving.Add(CountRefusalsAsync(author, () => Interlocked.Increment(ref refused), done.Token));
            using var self = Process.GetCurrentProcess();
            var serverCpuBefore = serverCpu();
            var ownCpuBefore = self.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            for (var m = 0; m < messages && !author.Completion.IsCompleted; m++)
            {
                // A steady pace keeps the queues short, so that latency is that of one message, not of a backlog.
                var early = rate > 0 ? TimeSpan.FromSeconds(m / rate) - Stopwatch.GetElapsedTime(started) : TimeSpan.Zero;
                if (early > TimeSpan.Zero)
                {
                    await Task.Delay(early, cancellationToken).ConfigureAwait(false);
                }

                await author.SendAsync(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture), room, cancellationToken).ConfigureAwait(false);
            }

            var sentSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            // Every message reaches every reader or is refused to its author; the phase ends when that account is
            // settled, or when nothing has moved for ten seconds (what is owed then is reported as not delivered).
            var expected = (long)messages * readers.Count;
            await SettleAsync(() => Interlocked.Read(ref delivered) + ((long)Volatile.Read(ref refused) * readers.Count), expected,
                TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            var serverCpuAfter = serverCpu();
            self.Refresh();
            var ownCpuAfter = self.TotalProcessorTime;
            await done.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(receiving).ConfigureAwait(false);
            var seconds = (Volatile.Read(ref lastDelivery) - started) / (double)Stopwatch.Frequency;
            return new RoomFanOutResult(members, messages, messages / sentSeconds, delivered, seconds > 0 ? delivered / seconds : 0, refused,
                Latency.Of(latencies), serverCpuAfter - serverCpuBefore, ownCpuAfter - ownCpuBefore, clients.Count(c => c.Completion.IsCompleted));
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

    /// <summary>Every client joins the room and waits for its <c>joined</c> notice; then the first sends one probe to the
    /// room and waits until every other member has seen it, so that the join notices to earlier members (queued before the
    /// probe in each outbox) are no longer in flight when the measured messages start.</summary>
    private static async Task JoinAllAsync(List<ChatClient> clients, string room, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await Task.WhenAll(clients.Select(async c =>
            {
                await c.JoinAsync(room, 0, timeout.Token).ConfigureAwait(false);
                while (true)
                {
                    switch (await c.Events.ReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        case ChatMessageReceived { Kind: "system", Event: "joined" } joined when joined.To == room:
                            return;
                        case ChatMessageReceived { Kind: "system", Event: "refused" } refusal:
                            throw new InvalidOperationException($"joining {room} was refused: {refusal.Text} ({refusal.Code})");
                        case var e:
                            ThrowIfEnded(e, $"while it joined {room}");
                            break;
                    }
                }
            })).ConfigureAwait(false);

            await clients[0].SendAsync(Probe, room, timeout.Token).ConfigureAwait(false);
            await Task.WhenAll(clients.Skip(1).Select(async c =>
            {
                while (await c.Events.ReadAsync(timeout.Token).ConfigureAwait(false) is var e
                       && (e is not ChatMessageReceived { Kind: "chat", Text: Probe } probe || probe.To != room))
                {
                    ThrowIfEnded(e, $"before the first message to {room}");
                }
            })).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the benchmark's clients did not all join {room} and see a message to it within 60 s");
        }
    }

    /// <summary>Counts the measured messages to <paramref name="room"/> one reader receives, up to <paramref name="expected"/>.</summary>
    private static async Task ReceiveRoomAsync(ChatClient client, string room, int expected, ConcurrentBag<double> latencies, Action onMessage,
        CancellationToken cancellationToken)
    {
        try
        {
            for (var received = 0; received < expected;)
            {
                var e = await client.Events.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (e is ChatEnded)
                {
                    return;
                }

                if (e is ChatMessageReceived { Kind: "chat" } message && message.To == room
                    && long.TryParse(message.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    received++;
                    onMessage();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The phase is over: what this reader did not receive is reported as not delivered.
        }
    }

    /// <summary>Counts the <c>refused</c> notices to the author until the phase is over.</summary>
    private static async Task CountRefusalsAsync(ChatClient author, Action onRefused, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var e = await author.Events.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (e is ChatEnded)
                {
                    return;
                }

                if (e is ChatMessageReceived { Kind: "system", Event: "refused" })
                {
                    onRefused();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The phase is over.
        }
    }

    /// <summary>Returns once <paramref name="settled"/> reaches <paramref name="expected"/>, or once it has not moved
    /// for <paramref name="quietLimit"/>.</summary>
    private static async Task SettleAsync(Func<long> settled, long expected, TimeSpan quietLimit, CancellationToken cancellationToken)
    {
        var quiet = Stopwatch.StartNew();
        var last = -1L;
        while (true)
        {
            var now = settled();
            if (now >= expected || quiet.Elapsed > quietLimit)
            {
                return;
            }

            if (now != last)
            {
                last = now;
                quiet.Restart();
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
