using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;

namespace SecureChat.Integration.Tests;

/// <summary>Protocol §12: a logged-in session with no frame in either direction for the idle timeout gets
/// <c>TIMEOUT</c> and is closed; a user who only reads stays while the conversation goes on.</summary>
public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task A_silent_reader_stays_while_others_talk_and_gets_timeout_once_nothing_flows()
    {
        await using var server = await RunningServer.StartAsync(o => o.IdleTimeoutMinutes = 0.05);
        await using var pair = await HonestPair.StartAsync(server);
        await using var silent = await RawSession.ConnectAsync(server.Port);
        await silent.RegisterAsync("silent@example.org", "silent", "correct horse battery");

        // The pair talks every half second for more than twice the 3 s timeout; the silent user only receives.
        var cut = silent.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCode.Timeout, TimeSpan.FromSeconds(30), skipMessages: true);
        var talking = DateTime.UtcNow;
        while (DateTime.UtcNow - talking < TimeSpan.FromSeconds(7))
        {
            await pair.ChatAsync();
            await Task.WhenAny(cut, Task.Delay(500));
        }

        Assert.False(cut.IsCompleted, "a user who only reads was cut while the conversation went on");
        Assert.Contains("silent", server.Server.Runtime.Room.Usernames);

        // Now nothing flows to or from the silent user: the idle timeout ends the session.
        await pair.FinishAsync();
        await cut;
        await Eventually.TrueAsync(() => !server.Server.Runtime.Room.Usernames.Contains("silent"), "the silent session is gone");
        await Eventually.NoSessionsLeftAsync(server);
    }
}
