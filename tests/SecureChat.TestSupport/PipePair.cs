using System.IO.Pipelines;

namespace SecureChat.TestSupport;

/// <summary>Two ends of an in-memory connection: what one end writes the other reads, as over a socket, with no
/// socket.</summary>
public sealed class PipePair
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();

    /// <summary>Creates a connected pair.</summary>
    public PipePair()
    {
        Server = new End(_toServer.Reader, _toClient.Writer);
        Client = new End(_toClient.Reader, _toServer.Writer);
    }

    /// <summary>The accepting end.</summary>
    public IDuplexPipe Server { get; }

    /// <summary>The connecting end.</summary>
    public IDuplexPipe Client { get; }

    /// <summary>Closes the server's end as a host does when its handler returns: the client reads the end of the stream.</summary>
    public async Task CloseServerAsync()
    {
        await _toClient.Writer.CompleteAsync().ConfigureAwait(false);
        await _toServer.Reader.CompleteAsync().ConfigureAwait(false);
    }

    private sealed class End(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
