using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using Xunit.Abstractions;

namespace SecureChat.Integration.Tests;

/// <summary>A recipient that stops reading fills its send queue and is disconnected; the sender never waits for it.</summary>
public sealed class SlowReaderTests(ITestOutputHelper output)
{
    private const int QueueCapacity = 8;
    private const int MaxMessages = 2000;
    private const int Batch = 8;

    [Fact]
    public async Task A_recipient_that_stops_reading_is_disconnected_and_the_sender_keeps_reaching_others()
    {
        await using var server = await RunningServer.StartAsync(o => o.SendQueueCapacity = QueueCapacity);
        server.DeleteFilesOnDispose = true; // tens of megabytes of transcripts
        await using var pair = await HonestPair.StartAsync(server);
        var sender = pair.A;
        var third = pair.B;

        // A real logged-in user with a tiny receive window, who from now on never reads again.
        await using var slow = await RawSession.ConnectAsync(server.Port, receiveBufferSize: 4096);
        await slow.RegisterAsync("slow@example.org", "slow", "correct horse battery");
        await Eventually.TrueAsync(() => server.Server.Runtime.Room.Usernames.Contains("slow"), "the slow user is logged in");

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var big = new string('x', 4000);
        var sent = 0;
        while (server.Server.Runtime.Room.Usernames.Contains("slow"))
        {
            Assert.True(sent < MaxMessages, $"the slow reader was still connected after {sent} messages of 4000 bytes");
            Assert.False(bound.IsCancellationRequested, $"the slow reader was still connected after 60 s and {sent} messages");
            for (var i = 0; i < Batch; i++)
            {
                sent++;
                await pair.SendAsync(sender, Numbered(sent, big));
            }

            // The third user keeps up, so every message the sender wrote is one the server has relayed.
            await pair.WaitForTextAsync(third, Numbered(sent, big));
        }

        output.WriteLine($"the slow reader was dropped after {sent} messages");

        // The sender is still connected and still reaches the third user.
        Assert.False(sender.Completion.IsCompleted);
        await pair.SendAsync(sender, "still here after the slow reader was dropped");
        await pair.WaitForTextAsync(third, "still here after the slow reader was dropped");
        Assert.Equal(sent, pair.ReceivedBy(third).Count(m => m.From == sender.Username && m.Text.Length == big.Length));

        // If the slow reader ever reads again it finds what was queued for it and at most a TIMEOUT error; then the end.
        var leftovers = await slow.Raw.DrainAsync(TimeSpan.FromSeconds(20));
        var timeout = ProtocolErrorCode.Timeout.ToWire();
        Assert.All(leftovers, m => Assert.True(m is ChatMessage || (m is ErrorMessage e && e.Code == timeout), $"unexpected {m}"));
        Assert.True(leftovers.Count(m => m is ErrorMessage) <= 1);
        output.WriteLine($"it could still read {leftovers.Count(m => m is ChatMessage)} messages, then {(leftovers.LastOrDefault() is ErrorMessage ? "TIMEOUT" : "the end")}");

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    private static string Numbered(int n, string filler) => $"{n:00000}{filler[5..]}";
}
