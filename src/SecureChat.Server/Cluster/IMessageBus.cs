namespace SecureChat.Server.Cluster;

/// <summary>How the nodes of one chat tell each other about relayed messages and who is online. The record (the
/// conversation store) stays the truth: the bus only says where to look, and may lose, delay or invent traffic without
/// a message being lost or injected.</summary>
public interface IMessageBus : IAsyncDisposable
{
    /// <summary>This node's name.</summary>
    string Node { get; }

    /// <summary>Starts receiving: <paramref name="onEnvelope"/> for every envelope (this node's own included),
    /// <paramref name="onRestored"/> when the bus comes back after an outage (traffic may have been missed), and
    /// <paramref name="localUsers"/> read for presence.</summary>
    Task StartAsync(Func<BusEnvelope, Task> onEnvelope, Action onRestored, Func<IReadOnlyCollection<string>> localUsers, CancellationToken cancellationToken);

    /// <summary>Tells the other nodes; throws <see cref="MessageBusUnavailableException"/> when the bus cannot be reached.</summary>
    Task PublishAsync(BusEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>The users online on the other nodes (empty when there are none or the bus is down).</summary>
    Task<IReadOnlyCollection<string>> RemoteUsersAsync(CancellationToken cancellationToken);

    /// <summary>The local users changed: presence is refreshed soon.</summary>
    void PresenceChanged();
}

/// <summary>The bus cannot be reached; the node goes on serving its own sessions.</summary>
public sealed class MessageBusUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
