using SecureChat.Client;
using Xunit.Abstractions;

namespace SecureChat.Integration.Tests;

/// <summary>A server that is itself the bottleneck slows its senders down and drops no recipient whose socket
/// drains.</summary>
public sealed class OverloadTests(ITestOutputHelper output)
{
    private const int Users = 24;
    private const int MessagesEach = 4;

    [Fact]
    public async Task A_saturated_room_drops_no_healthy_reader()
    {
        // Tiny queues and a short slow-reader timeout: with every user sending at once, each queue is full far longer
        // than the timeout while the server signs one copy per recipient. Every client reads all the time.
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.SendQueueCapacity = 2;
            o.SlowReaderTimeoutSeconds = 1;
            o.PresenceNoticeLimit = 0;
        });
        server.DeleteFilesOnDispose = true;
        var clients = new List<ChatClient>();
        try
        {
            for (var i = 0; i < Users; i++)
            {
                clients.Add(await server.RegisterAsync($"user{i:00}"));
            }

            var started = DateTime.UtcNow;
            var receiving = clients.Select(c => c.ReceiveChatAsync((Users - 1) * MessagesEach, timeoutSeconds: 240)).ToList();
            await Task.WhenAll(clients.Select(async (c, i) =>
            {
                for (var m = 0; m < MessagesEach; m++)
                {
                    Assert.True(await c.SendAsync($"user{i:00} message {m}"));
                }
            }));
            var received = await Task.WhenAll(receiving);
            output.WriteLine($"{Users * (Users - 1) * MessagesEach} deliveries in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");

            Assert.All(received, r => Assert.Equal((Users - 1) * MessagesEach, r.Count));
            Assert.All(clients, c => Assert.False(c.Completion.IsCompleted, $"{c.Username} was disconnected"));
            foreach (var client in clients)
            {
                Assert.True((await client.EndAsync()).ReceiptsMatched);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
