using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SecureChat.Client;

namespace SecureChat.Cli.Bench;

/// <summary>What the overload phase measured.</summary>
/// <param name="Members">Sessions in the saturated room, every one sending and reading.</param>
/// <param name="DeliveredPerSecond">Messages delivered to readers per second while the room was saturated.</param>
/// <param name="Refused">Messages the server refused (a <c>refused</c> notice to the author instead of a relay).</param>
/// <param name="RefusedPerSecond">Refusals per second over the phase.</param>
/// <param name="DroppedSessions">Sessions of the room that the server ended before the phase ended them.</param>
/// <param name="LoginLatency">Latency of logins to registered accounts made while the room was saturated.</param>
internal sealed record OverloadResult(int Members, double DeliveredPerSecond, int Refused, double RefusedPerSecond, int DroppedSessions, Latency LoginLatency);

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
            var refused = 0;
            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiving = clients.Select(c => ReceiveUntilEndAsync(c, latencies, () => progress(Interlocked.Increment(ref delivered)),
                () => Interlocked.Increment(ref refused), done.Token)).ToArray();
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

            // Every message is either delivered to every other member or refused to its author: the phase ends when
            // that account is settled, or when nothing has moved for five seconds (whatever is still owed then is
            // reported as not delivered).
            var expected = (long)members * messagesEach;
            var quiet = Stopwatch.StartNew();
            var last = -1L;
            while (true)
            {
                var settled = Volatile.Read(ref delivered) + ((long)Volatile.Read(ref refused) * (members - 1));
                if (settled >= expected * (members - 1) || quiet.Elapsed > TimeSpan.FromSeconds(5))
                {
                    break;
                }

                if (settled != last)
                {
                    last = settled;
                    quiet.Restart();
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            var seconds = watch.Elapsed.TotalSeconds - (quiet.Elapsed.TotalSeconds > 1 ? quiet.Elapsed.TotalSeconds : 0);
            await done.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(receiving).ConfigureAwait(false);
            var dropped = clients.Count(c => c.Completion.IsCompleted);
            return new OverloadResult(members, delivered / seconds, refused, refused / seconds, dropped, Latency.Of(loginLatencies));
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

    /// <summary>Counts what a member receives until the session ends or the phase is over: measured messages, and
    /// <c>refused</c> notices to this member as an author.</summary>
    internal static async Task ReceiveUntilEndAsync(ChatClient client, ConcurrentBag<double> latencies, Action onMessage, Action onRefused,
        CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var e = await client.Events.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (e is ChatEnded)
                {
                    return;
                }

                if (e is ChatMessageReceived { Kind: "system", Event: "refused" })
                {
                    onRefused();
                }
                else if (e is ChatMessageReceived { Kind: "chat" } message
                    && long.TryParse(message.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    onMessage();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The phase is over.
        }
    }
}
