using Microsoft.AspNetCore.Connections;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>Kestrel's entry point for each accepted TCP connection.</summary>
public sealed class ChatConnectionHandler(ServerRuntime runtime) : ConnectionHandler
{
    /// <inheritdoc/>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (runtime.IsStopping || !runtime.TryAddConnection())
        {
            await RefuseAsync(connection).ConfigureAwait(false);
            return;
        }

        try
        {
            var session = new ServerSession(connection, runtime);
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

    private static async Task RefuseAsync(ConnectionContext connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var frame = ProtocolEndpoint.ErrorFrame(ProtocolErrorCode.ServerBusy, "the server is at its connection limit; try again later");
            var pipe = new FramedPipe(connection.Transport);
            await pipe.WriteAsync(frame, timeout.Token).ConfigureAwait(false);
            await pipe.DiscardInputAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            connection.Abort();
        }
    }
}
