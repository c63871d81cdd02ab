using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>What the man in the middle does to the client's chosen <c>msg</c> frame.</summary>
internal enum MitmAttack
{
    /// <summary>Flips one bit of the ciphertext and forwards the altered frame instead.</summary>
    FlipCiphertextBit,

    /// <summary>Forwards the frame, then the same bytes again (a replay inside the session).</summary>
    Duplicate,
}

/// <summary>An active attacker on the wire: a loopback TCP relay for one client connection that parses the frames
/// both ways, alters the client's <c>msg</c> number <see cref="TargetSeqno"/>, and records what the server sends back.</summary>
internal sealed class MitmProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<WireMessage> _fromServer = new();
    private readonly TaskCompletionSource<ErrorMessage> _serverError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _serverClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ChatMessage> _attacked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _relay;
    private Socket? _client;
    private Socket? _server;

    public MitmProxy(int serverPort, MitmAttack attack, long targetSeqno)
    {
        _serverPort = serverPort;
        Attack = attack;
        TargetSeqno = targetSeqno;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _relay = RelayAsync();
    }

    public int Port { get; }

    public MitmAttack Attack { get; }

    public long TargetSeqno { get; }

    /// <summary>The frame as the server received it (altered, or the duplicated original).</summary>
    public Task<ChatMessage> Attacked => _attacked.Task;

    /// <summary>The first <c>error</c> frame the server sent to the client.</summary>
    public Task<ErrorMessage> ServerError => _serverError.Task;

    /// <summary>Completes when the server closed its side of the connection.</summary>
    public Task ServerClosed => _serverClosed.Task;

    /// <summary>Every frame the server sent, decoded.</summary>
    public IReadOnlyCollection<WireMessage> FromServer => _fromServer;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _client?.Dispose();
        _server?.Dispose();
        try
        {
            await _relay;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static FramedPipe Frames(NetworkStream stream) =>
        new(new StreamPipe(PipeReader.Create(stream), PipeWriter.Create(stream)));

    private async Task RelayAsync()
    {
        _client = await _listener.AcceptSocketAsync(_stop.Token);
        _client.NoDelay = true;
        _server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await _server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
        await using var clientStream = new NetworkStream(_client, ownsSocket: false);
        await using var serverStream = new NetworkStream(_server, ownsSocket: false);
        var client = Frames(clientStream);
        var server = Frames(serverStream);
        await Task.WhenAll(ClientToServerAsync(client, server), ServerToClientAsync(server, client));
    }

    private async Task ClientToServerAsync(FramedPipe client, FramedPipe server)
    {
        try
        {
            while (await client.ReadFrameAsync(_stop.Token) is { } frame)
            {
                if (MessageCodec.DecodeFrame(frame) is ChatMessage msg && msg.Seqno == TargetSeqno && !_attacked.Task.IsCompleted)
                {
                    switch (Attack)
                    {
                        case MitmAttack.FlipCiphertextBit:
                            var ct = Convert.FromBase64String(msg.Ct);
                            ct[ct.Length / 2] ^= 0x01;
                            var altered = msg with { Ct = Convert.ToBase64String(ct) };
                            _attacked.TrySetResult(altered);
                            await server.WriteAsync(MessageCodec.EncodeFrame(altered), _stop.Token);
                            continue;
                        case MitmAttack.Duplicate:
                            _attacked.TrySetResult(msg);
                            await server.WriteAsync([frame, frame], _stop.Token);
                            continue;
                    }
                }

                await server.WriteAsync(frame, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or ProtocolException)
        {
            // The server hung up on the attacked connection; the client's later frames have nowhere to go.
        }
    }

    private async Task ServerToClientAsync(FramedPipe server, FramedPipe client)
    {
        try
        {
            while (await server.ReadFrameAsync(_stop.Token) is { } frame)
            {
                var message = MessageCodec.DecodeFrame(frame);
                _fromServer.Enqueue(message);
                if (message is ErrorMessage error)
                {
                    _serverError.TrySetResult(error);
                }

                await client.WriteAsync(frame, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or ProtocolException)
        {
        }
        finally
        {
            _serverClosed.TrySetResult();

            // Pass the server's close on, so the client sees the end of the stream after the error.
            try
            {
                _client?.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private sealed class StreamPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
