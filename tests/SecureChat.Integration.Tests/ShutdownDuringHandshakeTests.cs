using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;

namespace SecureChat.Integration.Tests;

/// <summary>A stop that finds sessions in their handshake: the real host, real sockets, the real client.</summary>
public sealed class ShutdownDuringHandshakeTests
{
    [Fact]
    public async Task Stopping_ends_a_handshake_that_completes_with_receipts_refuses_one_that_does_not_and_counts_both()
    {
        var server = await RunningServer.StartAsync(o => o.ReceiptWaitSeconds = 3);
        await using var completes = await server.ConnectAsync("alice");
        await using var stalls = await server.ConnectAsync("bob");

        // Both have k_auth and wait for their users; the server is asked to stop now.
        var stopping = Task.Run(async () => await server.DisposeAsync());
        await Eventually.TrueAsync(() => server.Server.Runtime.IsStopping, "the server is stopping");

        // New connections are refused from this moment.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync("carol"));
        Assert.True(refused is ProtocolException { Code: ProtocolErrorCode.ServerBusy } or System.Net.Sockets.SocketException or IOException, refused.ToString());

        // alice finishes her handshake during the stop: her session is ended with receipts.
        Assert.True((await completes.RegisterAsync("alice@example.org", "alice", "correct horse battery")).Ok);
        Assert.True((await completes.Completion.WaitAsync(TimeSpan.FromSeconds(20))).ReceiptsMatched);

        // bob never does: after the receipt wait his handshake is refused with SERVER_BUSY.
        var ended = await stalls.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(ended.ReceiptsMatched);
        Assert.Equal(ProtocolErrorCode.ServerBusy, ended.Error?.Code);
        Assert.True(ended.Error?.IsRemote);

        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new SecureChat.Server.ShutdownSummary(1, 1), server.Server.Runtime.LastShutdown);
        Assert.Empty(server.ErrorLogs);
    }
}
