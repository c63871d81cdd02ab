namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>Bounded polling for server state that changes asynchronously (a session leaving, a count dropping).</summary>
internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, or fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds:0.#} s waiting until {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the server has no connection and no logged-in session left: nothing leaked.</summary>
    public static Task NoSessionsLeftAsync(RunningServer server, TimeSpan? timeout = null) =>
        TrueAsync(() => server.Server.Runtime.Connections == 0 && server.Server.Runtime.Room.Count == 0,
            $"the server has no connections left (now {server.Server.Runtime.Connections}, {server.Server.Runtime.Room.Count} logged in)", timeout);
}
