using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SecureChat.Client;

namespace SecureChat.Cli.Bench;

/// <summary>What the overload phase measured.</summary>
/// <param name="Members">Sessions in the saturated room, every one sending and reading.</param>
/// <param name="DeliveredPerSecond">Messages delivered to readers per second while the room was saturated.</param>
/// <param name="Refused">Messages the server refused (answered with a refusal instead of relaying).</param>
/// <param name="DroppedSessions">Sessions of the room that the server ended before the phase ended them.</param>
/// <param name="LoginLatency">Latency of logins to registered accounts made while the room was saturated.</param>
internal sealed record OverloadResult(int Members, double DeliveredPerSecond, int Refused, int DroppedSessions, Latency LoginLatency);

/// <summary>The overload phase: a room saturated by every member sending at once, with logins alongside.</summary>
internal sealed partial class LoadGenerator
{
    /// <summary>Saturates a room of <paramref name="members"/> sessions (each sends <paramref name="messagesEach"/> as
    /// fast as the server takes them, to everyone else) and meanwhile logs in <paramref name="logins"/> times.</summary>
    public async Task<OverloadResult> OverloadAsync(int members, int messagesEach, int logins, Action<int> progress, CancellationToken cancellationToken)
    {
        var clients = new List<ChatClient>();
        for (var i = 0; i < members; i++)
        {
            clients.Add(await ConnectAsync(login: false, cancellationToken).ConfigureAwait(false));
        }

        try
        {
            await AwaitRoomAsync(clients, cancellationToken).ConfigureAwait(false);
            var latencies = new ConcurrentBag<double>();
            var delivered = 0;
            var receiving = clients.Select(c => ReceiveUntilEndAsync(c, (members - 1) * messagesEach, latencies,
                () => progress(Interlocked.Increment(ref delivered)), cancellationToken)).ToArray();
            var watch = Stopwatch.StartNew();
            var sending = clients.Select(async c =>
            {
                for (var m = 0; m < messagesEach && !c.Completion.IsCompleted; m++)
                {
                    await c.SendAsync(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                }
            }).ToArray();

            var loginLatencies = new List<double>();
            for (var i = 0; i < logins && _registered.Count > 0; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var client = await ConnectAsync(login: true, cancellationToken).ConfigureAwait(false);
                loginLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await client.EndAsync(cancellationToken).ConfigureAwait(false);
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(sending).ConfigureAwait(false);
            await Task.WhenAll(receiving).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            var dropped = clients.Count(c => c.Completion.IsCompleted);
            return new OverloadResult(members, delivered / seconds, 0, dropped, Latency.Of(loginLatencies));
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

    /// <summary>As <see cref="ReceiveAsync"/>, but a session the server ends is counted, not waited for.</summary>
    private static async Task ReceiveUntilEndAsync(ChatClient client, int expected, ConcurrentBag<double> latencies, Action onMessage, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var received = 0;
        while (received < expected)
        {
            var e = await client.Events.ReadAsync(timeout.Token).ConfigureAwait(false);
            if (e is ChatEnded)
            {
                return;
            }

            if (e is ChatMessageReceived { Kind: "chat" } message && long.TryParse(message.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                received++;
                onMessage();
            }
        }
    }
}
