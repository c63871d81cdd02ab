using Microsoft.AspNetCore.Connections;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>Kestrel's entry point for each accepted TCP connection: an adapter from Kestrel's connection to a
/// <see cref="ServerSession"/> over its transport.</summary>
public sealed class ChatConnectionHandler(ServerRuntime runtime) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (runtime.IsStopping || !runtime.TryAddConnection())
        {
            await ProtocolConnection.RefuseAsync(connection.Transport, ProtocolErrorCode.ServerBusy, "the server is at its connection limit; try again later").ConfigureAwait(false);
            return;
        }

        try
        {
            var session = new ServerSession(connection.Transport, runtime, connection.ConnectionId, connection.RemoteEndPoint);
            await using (session.ConfigureAwait(false))
            {
                await session.RunAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            runtime.RemoveConnection();
        }
    }
}
