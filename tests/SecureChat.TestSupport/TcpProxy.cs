using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SecureChat.TestSupport;

/// <summary>A loopback TCP forwarder that a test can cut, black-hole and restore, to simulate a database outage.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private volatile Mode _mode = Mode.Forward;

    public TcpProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    private enum Mode
    {
        Forward,
        Reset,
        Blackhole,
    }

    public int Port { get; }

    /// <summary>Resets every open connection and every new one, like a server that went down.</summary>
    public void Cut()
    {
        _mode = Mode.Reset;
        ResetAll();
    }

    /// <summary>Accepts connections but forwards nothing either way, like a network path that silently drops packets.</summary>
    public void Blackhole() => _mode = Mode.Blackhole;

    /// <summary>Resumes forwarding for new connections; connections left from the outage are reset.</summary>
    public void Restore()
    {
        ResetAll();
        _mode = Mode.Forward;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        ResetAll();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static void Abort(Socket socket)
    {
        try
        {
            // Linger 0 makes Close send RST, the way a crashed server's kernel answers.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private void ResetAll()
    {
        foreach (var socket in _sockets.Keys)
        {
            _sockets.TryRemove(socket, out _);
            Abort(socket);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            switch (_mode)
            {
                case Mode.Reset:
                    Abort(client);
                    break;
                case Mode.Blackhole:
                    _sockets.TryAdd(client, 0);
                    break;
                default:
                    _ = ForwardAsync(client);
                    break;
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        _sockets.TryAdd(client, 0);
        _sockets.TryAdd(upstream, 0);
        try
        {
            await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            await using var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
            await Task.WhenAny(PumpAsync(clientStream, upstreamStream), PumpAsync(upstreamStream, clientStream));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
        }
        finally
        {
            _sockets.TryRemove(client, out _);
            _sockets.TryRemove(upstream, out _);
            Abort(client);
            Abort(upstream);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                // While black-holed, bytes are swallowed: the peer sees a connection that never answers.
                if (_mode != Mode.Blackhole)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
