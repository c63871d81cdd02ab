namespace SecureChat.Server;

/// <summary>Ends every open session with receipts when the host stops.</summary>
/// <remarks>The host calls <see cref="StoppingAsync"/> before any hosted service stops, Kestrel included, so every
/// session still has its socket when it sends its receipt and waits (a bounded time) for the client's.</remarks>
internal sealed class SessionShutdown(ServerRuntime runtime) : IHostedLifecycleService
{
    /// <inheritdoc/>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        runtime.IsStopping = true;
        return runtime.Room.EndAllAsync();
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
