using SecureChat.Client;

namespace SecureChat.Integration.Tests;

/// <summary>Graceful shutdown while sessions end on their own at the same moment: the sessions that stay get their
/// receipts, and the server logs no error.</summary>
public sealed class ShutdownRaceTests
{
    private const int Rounds = 3;
    private const int Users = 12;

    [Fact]
    public async Task Stopping_while_clients_hang_up_ends_the_others_with_receipts_and_logs_no_error()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var server = await RunningServer.StartAsync();
            var clients = new List<ChatClient>();
            try
            {
                for (var i = 0; i < Users; i++)
                {
                    clients.Add(await server.RegisterAsync($"user{i:00}"));
                }

                // Half hang up abruptly exactly when the server begins to stop.
                var leaving = clients.Where((_, i) => i % 2 == 0).ToList();
                var staying = clients.Except(leaving).ToList();
                clients = staying;
                var stopping = Task.Run(async () => await server.DisposeAsync());
                var hangUps = Task.WhenAll(leaving.Select((c, i) => Task.Run(async () =>
                {
                    // Spread over the time the server spends sending its receipts, so some hang up mid-receipt.
                    await Task.Delay(i * 3);
                    await c.DisposeAsync();
                })));
                await Task.WhenAll(stopping, hangUps).WaitAsync(TimeSpan.FromSeconds(60));

                foreach (var c in staying)
                {
                    var ended = await c.Completion.WaitAsync(TimeSpan.FromSeconds(20));
                    Assert.True(ended.ReceiptsMatched, ended.Error?.ToString());
                }

                Assert.Empty(server.ErrorLogs);
            }
            finally
            {
                foreach (var c in clients)
                {
                    await c.DisposeAsync();
                }
            }
        }
    }
}
