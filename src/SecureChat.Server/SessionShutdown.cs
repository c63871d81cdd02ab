using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>Ends every session when the host stops: an established one with receipts, one still in its handshake
/// with receipts if it completes within the receipt wait, else with <c>SERVER_BUSY</c>.</summary>
/// <remarks>The host calls <see cref="StoppingAsync"/> before any hosted service stops, Kestrel included, so every
/// session still has its socket when it sends its receipt and waits (a bounded time) for the client's. New
/// connections are refused from the moment <see cref="ServerRuntime.IsStopping"/> is set; a connection accepted just
/// before is caught by the next pass.</remarks>
internal sealed class SessionShutdown(ServerRuntime runtime, ILogger<SessionShutdown> log) : IHostedLifecycleService
{
    /// <inheritdoc/>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        runtime.IsStopping = true;
        var ended = new Dictionary<ServerSession, ConnectionEnd>();
        for (var pass = 0; pass < 3 && !runtime.Sessions.IsEmpty; pass++)
        {
            var sessions = runtime.Sessions.Keys.Where(s => !ended.ContainsKey(s)).ToList();
            var ends = await Task.WhenAll(sessions.Select(s => s.EndAsync())).ConfigureAwait(false);
            for (var i = 0; i < sessions.Count; i++)
            {
                ended[sessions[i]] = ends[i];
            }
        }

        var withReceipts = ended.Values.Count(e => e.IsClean);
        runtime.LastShutdown = new ShutdownSummary(withReceipts, ended.Count - withReceipts);
        Log.ShutdownEnded(log, withReceipts, ended.Count - withReceipts);
    }

    /// <inheritdoc/>
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
