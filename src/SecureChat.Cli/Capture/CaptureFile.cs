using System.Net;

namespace SecureChat.Cli.Capture;

/// <summary>A pcapng file that records the frames of several TCP connections as they are seen, each connection as
/// its own TCP stream; safe to use from several connections at once.</summary>
internal sealed class CaptureFile : IDisposable
{
    private readonly Lock _lock = new();
    private readonly PcapngWriter _writer;
    private readonly TimeProvider _time;
    private readonly List<Connection> _open = [];
    private uint _nextIsn = 1000;

    private CaptureFile(Stream output, TimeProvider time)
    {
        _writer = new PcapngWriter(output);
        _time = time;
    }

    /// <summary>The number of packets written so far.</summary>
    public int Packets { get; private set; }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public static CaptureFile Create(string path, TimeProvider? time = null) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), time ?? TimeProvider.System);

    /// <summary>Starts a TCP stream from <paramref name="client"/> to <paramref name="server"/> (its handshake is written now).</summary>
    public Connection Open(IPEndPoint client, IPEndPoint server)
    {
        lock (_lock)
        {
            var connection = new Connection(this, new TcpConnection(client, server, _nextIsn, _nextIsn + 500_000));
            _nextIsn += 1_000_000;
            _open.Add(connection);
            Write(connection.Tcp.Open());
            return connection;
        }
    }

    /// <summary>Ends every stream still open with a FIN exchange and closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var connection in _open.ToList())
            {
                CloseLocked(connection);
            }

            _writer.Dispose();
        }
    }

    private void Record(Connection connection, bool fromClient, ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            if (!connection.Tcp.Closed)
            {
                Write(connection.Tcp.Send(fromClient, bytes));
            }
        }
    }

    private void Close(Connection connection)
    {
        lock (_lock)
        {
            CloseLocked(connection);
        }
    }

    private void CloseLocked(Connection connection)
    {
        if (!connection.Tcp.Closed)
        {
            Write(connection.Tcp.Close());
        }

        _open.Remove(connection);
    }

    private void Write(IReadOnlyList<byte[]> packets)
    {
        var now = _time.GetUtcNow();
        foreach (var packet in packets)
        {
            _writer.WritePacket(now, packet);
            Packets++;
        }
    }

    /// <summary>One recorded TCP stream.</summary>
    internal sealed class Connection(CaptureFile file, TcpConnection tcp)
    {
        /// <summary>The packet synthesizer of this stream.</summary>
        internal TcpConnection Tcp { get; } = tcp;

        /// <summary>Records bytes (whole frames, one write) sent by the client or by the server.</summary>
        public void Record(bool fromClient, ReadOnlySpan<byte> bytes) => file.Record(this, fromClient, bytes);

        /// <summary>Writes the FIN exchange; later records are ignored.</summary>
        public void Close() => file.Close(this);
    }
}
