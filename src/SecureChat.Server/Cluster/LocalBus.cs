namespace SecureChat.Server.Cluster;

/// <summary>The bus of a single node: there is nobody else to tell, so publishing delivers to this node only (which
/// ignores its own envelopes) and nobody is online elsewhere.</summary>
public sealed class LocalBus : IMessageBus
{
    private Func<BusEnvelope, Task>? _onEnvelope;

    /// <inheritdoc/>
    public string Node => "local";

    /// <inheritdoc/>
    public Task StartAsync(Func<BusEnvelope, Task> onEnvelope, Action onRestored, Func<IReadOnlyCollection<string>> localUsers, CancellationToken cancellationToken)
    {
        _onEnvelope = onEnvelope;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task PublishAsync(BusEnvelope envelope, CancellationToken cancellationToken) => _onEnvelope?.Invoke(envelope) ?? Task.CompletedTask;

    /// <inheritdoc/>
    public Task<IReadOnlyCollection<string>> RemoteUsersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyCollection<string>>([]);

    /// <inheritdoc/>
    public void PresenceChanged()
    {
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
