using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;

namespace SecureChat.Integration.Tests;

/// <summary>Protocol §5: a logged-in session that sends nothing for the idle timeout gets <c>TIMEOUT</c> and is closed;
/// sessions that keep talking stay.</summary>
public sealed class IdleTimeoutTests
{
    [Fact]
    public async Task A_silent_logged_in_session_gets_timeout_while_talking_ones_stay()
    {
        await using var server = await RunningServer.StartAsync(o => o.IdleTimeoutMinutes = 0.1);
        await using var pair = await HonestPair.StartAsync(server);
        await using var silent = await RawSession.ConnectAsync(server.Port);
        await silent.RegisterAsync("silent@example.org", "silent", "correct horse battery");

        // The pair talks every half second, far inside the 6 s timeout; the silent user says nothing at all.
        var cut = silent.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCode.Timeout, TimeSpan.FromSeconds(30), skipMessages: true);
        while (!cut.IsCompleted)
        {
            await pair.ChatAsync();
            await Task.WhenAny(cut, Task.Delay(500));
        }

        await cut;
        await Eventually.TrueAsync(() => !server.Server.Runtime.Room.Usernames.Contains("silent"), "the silent session is gone");
        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }
}
