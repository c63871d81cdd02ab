namespace SecureChat.Integration.Tests;

public sealed class RelaySizeTests
{
    [Fact]
    public async Task Message_that_fits_from_its_author_but_not_relayed_is_skipped_and_delivery_continues()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await server.RegisterAsync("alice");
        await using var bob = await server.RegisterAsync("bob");

        // Control characters cost six bytes of JSON each: find the longest such text alice can still send.
        var count = 8200;
        while (true)
        {
            try
            {
                await alice.SendAsync(new string('\u0001', count));
                break;
            }
            catch (ArgumentException)
            {
                count--;
            }
        }

        await alice.SendAsync("ping after");
        var received = await bob.ReceiveChatAsync(1);
        Assert.Equal("ping after", received[0].Text);
        Assert.True((await bob.EndAsync()).ReceiptsMatched);
        Assert.True((await alice.EndAsync()).ReceiptsMatched);
    }
}
