using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SecureChat.Cli.Capture;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Cli.Attack;

/// <summary>A real TCP man in the middle: it accepts clients, connects each to the target server and forwards
/// whole frames both ways, letting a scenario record, drop, duplicate or rewrite any of them. With a capture file, both
/// legs of every connection (client to proxy, proxy to server) are written to it as TCP streams, frame by frame.</summary>
internal sealed class FrameProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly CaptureFile? _capture;

    public FrameProxy(IPEndPoint target, Func<bool, byte[], IEnumerable<byte[]>>? tamper = null, CaptureFile? capture = null)
    {
        _target = target;
        _capture = capture;
        Tamper = tamper ?? ((_, frame) => [frame]);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Decides what is forwarded for each frame (true = travelling to the server).</summary>
    public Func<bool, byte[], IEnumerable<byte[]>> Tamper { get; set; }

    /// <summary>Every frame as the attacker saw it, before tampering, in order.</summary>
    public ConcurrentQueue<(bool ToServer, byte[] Frame)> Seen { get; } = new();

    /// <summary>Every frame forwarded, after tampering.</summary>
    public ConcurrentQueue<(bool ToServer, byte[] Frame)> Forwarded { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await Task.WhenAll([_accepting, .. _connections]).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                _connections.Add(RelayAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                var clientPipe = Pipe(client.GetStream());
                var serverPipe = Pipe(server.GetStream());
                var clientLeg = _capture?.Open((IPEndPoint)client.Client.RemoteEndPoint!, (IPEndPoint)client.Client.LocalEndPoint!);
                var serverLeg = _capture?.Open((IPEndPoint)server.Client.LocalEndPoint!, (IPEndPoint)server.Client.RemoteEndPoint!);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(clientPipe, serverPipe, toServer: true, (clientLeg, serverLeg), done.Token);
                var downstream = PumpAsync(serverPipe, clientPipe, toServer: false, (serverLeg, clientLeg), done.Token);
                await Task.WhenAny(up, downstream).ConfigureAwait(false);

                // Give the frames still in flight (an error frame, a receipt) a moment, then cut both sides.
                await Task.WhenAll(up, downstream).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await done.CancelAsync().ConfigureAwait(false);
                clientLeg?.Close();
                serverLeg?.Close();
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // One side went away.
            }
        }
    }

    // The frame read is recorded on the leg it came from, each frame forwarded on the leg it goes to; on the client
    // leg the client is the TCP client, on the server leg the proxy is.
    private async Task PumpAsync(FramedPipe from, FramedPipe to, bool toServer,
        (CaptureFile.Connection? From, CaptureFile.Connection? To) legs, CancellationToken cancellationToken)
    {
        try
        {
            while (await from.ReadFrameAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                Seen.Enqueue((toServer, frame));
                legs.From?.Record(fromClient: toServer, frame);
                foreach (var forwarded in Tamper(toServer, frame))
                {
                    Forwarded.Enqueue((toServer, forwarded));
                    legs.To?.Record(fromClient: toServer, forwarded);
                    await to.WriteAsync(forwarded, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ProtocolException or ObjectDisposedException)
        {
            // The connection ended; the other pump notices on its own.
        }
    }

    private static FramedPipe Pipe(NetworkStream stream) => FramedPipe.Over(stream);
}
