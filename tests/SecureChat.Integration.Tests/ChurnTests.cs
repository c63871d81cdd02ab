using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>Users coming and going (cleanly, abruptly, or thrown out for bad input) while another user sends as fast as
/// it can: every message reaches the one who stays, and the sender is never disconnected.</summary>
public sealed class ChurnTests
{
    private const int Messages = 300;
    private const int Visitors = 24;

    [Fact]
    public async Task Sessions_joining_and_leaving_during_a_burst_never_cost_the_sender_or_the_reader_a_message()
    {
        await using var server = await RunningServer.StartAsync();
        server.DeleteFilesOnDispose = true; // a transcript file per visitor
        await using var pair = await HonestPair.StartAsync(server);

        var burst = Task.Run(async () =>
        {
            for (var i = 1; i <= Messages; i++)
            {
                await pair.SendAsync(pair.A, $"burst {i}");
            }
        });
        var visits = Task.Run(async () =>
        {
            for (var i = 0; i < Visitors; i++)
            {
                await VisitAsync(server, i);
            }
        });

        await Task.WhenAll(burst, visits).WaitAsync(TimeSpan.FromSeconds(90));
        for (var i = 1; i <= Messages; i++)
        {
            await pair.WaitForTextAsync(pair.B, $"burst {i}");
        }

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    private static async Task VisitAsync(RunningServer server, int i)
    {
        var visitor = await RawSession.ConnectAsync(server.Port);
        await using (visitor)
        {
            await visitor.RegisterAsync($"visitor{i}@example.org", $"visitor{i}", "correct horse battery");
            switch (i % 3)
            {
                case 0:
                    // Hang up without a word.
                    break;
                case 1:
                    // Break the rules (a gap in its numbering) and get thrown out.
                    _ = visitor.Seal("withheld");
                    await visitor.Raw.WriteAsync(visitor.Seal("skips the withheld one").Frame);
                    Assert.Contains(await visitor.Raw.DrainAsync(TimeSpan.FromSeconds(15)), m => m is ErrorMessage { Code: "SEQ_GAP" });
                    break;
                default:
                    // Leave properly: send a receipt and read until the server has answered and closed.
                    await visitor.Raw.WriteAsync(visitor.Protocol.EndSession().Frames.Single());
                    Assert.Contains(await visitor.Raw.DrainAsync(TimeSpan.FromSeconds(15)), m => m is ReceiptMessage);
                    break;
            }
        }
    }
}
