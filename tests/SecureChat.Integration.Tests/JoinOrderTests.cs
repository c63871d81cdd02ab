using SecureChat.Integration.Tests.Infrastructure;

namespace SecureChat.Integration.Tests;

/// <summary>A user whose login has completed is in the room: a message sent after that moment reaches them.</summary>
public sealed class JoinOrderTests
{
    private const int Logins = 40;

    [Fact]
    public async Task A_message_sent_right_after_a_login_completes_reaches_the_new_user()
    {
        await using var server = await RunningServer.StartAsync();
        await using var pair = await HonestPair.StartAsync(server);

        for (var i = 0; i < Logins; i++)
        {
            await using var newcomer = await server.RegisterAsync($"newcomer{i}");

            // No pause: the newcomer's client has just been told the session is established.
            await pair.SendAsync(pair.A, $"welcome, newcomer{i}");
            await newcomer.ReceiveChatAsync(1, timeoutSeconds: 10);
            Assert.True((await newcomer.EndAsync()).ReceiptsMatched);
        }

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }
}
