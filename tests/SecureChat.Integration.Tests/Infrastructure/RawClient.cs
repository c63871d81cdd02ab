using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>A bare TCP connection that writes whatever bytes a test wants and reads the server's frames undecoded,
/// so that a test sees exactly what an offender would see on the wire.</summary>
internal sealed class RawClient : IAsyncDisposable
{
    /// <summary>How long any single read or write may take before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly FramedPipe _pipe;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _pipe = new FramedPipe(new StreamPipe(PipeReader.Create(_stream), PipeWriter.Create(_stream)));
    }

    /// <summary>The frame pipe over the socket.</summary>
    public FramedPipe Pipe => _pipe;

    /// <summary>Connects to the loopback port; a small <paramref name="receiveBufferSize"/> makes a reader that
    /// stops reading fill the TCP window quickly.</summary>
    public static async Task<RawClient> ConnectAsync(int port, int? receiveBufferSize = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            if (receiveBufferSize is { } size)
            {
                // Set before connecting, so the window announced in the handshake is already small.
                tcp.Client.ReceiveBufferSize = size;
            }

            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            return new RawClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Builds a frame from a body, with its true length prefix.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body) => Frame((uint)body.Length, body);

    /// <summary>Builds <c>u32 length || body</c> with any length prefix, true or not.</summary>
    public static byte[] Frame(uint length, ReadOnlySpan<byte> body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        body.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>Writes raw bytes and flushes them.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        await _pipe.WriteAsync(bytes.ToArray(), cts.Token);
    }

    /// <summary>Writes one well-formed message as a frame.</summary>
    public Task SendAsync(WireMessage message) => WriteAsync(MessageCodec.EncodeFrame(message));

    /// <summary>Reads the next whole frame; <see langword="null"/> when the server closed the connection.</summary>
    /// <exception cref="TimeoutException">Nothing arrived within the bound.</exception>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _pipe.ReadFrameAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no frame from the server within {timeout ?? DefaultTimeout}");
        }
    }

    /// <summary>Reads the next frame and requires it to be an <c>error</c> frame; with <paramref name="skipMessages"/>,
    /// chat messages the server relayed before it are passed over (a logged-in session receives them unasked).</summary>
    public async Task<ErrorMessage> ReadErrorAsync(TimeSpan? timeout = null, bool skipMessages = false)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeout) ?? throw new InvalidOperationException("the server closed the connection without an error frame");
            var message = MessageCodec.DecodeFrame(frame);
            if (message is ErrorMessage error)
            {
                return error;
            }

            if (!(skipMessages && message is ChatMessage))
            {
                throw new InvalidOperationException($"expected an error frame, got {message.GetType().Name}");
            }
        }
    }

    /// <summary>Requires the next frame to be <c>error</c> with <paramref name="code"/>, then the connection to close.</summary>
    public async Task<ErrorMessage> ExpectErrorThenCloseAsync(ProtocolErrorCode code, TimeSpan? timeout = null, bool skipMessages = false)
    {
        var error = await ReadErrorAsync(timeout, skipMessages);
        Assert.Equal(code.ToWire(), error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        await ExpectClosedAsync(timeout);
        return error;
    }

    /// <summary>Requires the server to close the connection (cleanly or by reset) with no further frame.</summary>
    public async Task ExpectClosedAsync(TimeSpan? timeout = null)
    {
        try
        {
            var frame = await ReadFrameAsync(timeout);
            Assert.True(frame is null, "the server sent another frame instead of closing the connection");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // A reset is a close too.
        }
    }

    /// <summary>Reads and decodes frames until the server closes; returns what arrived.</summary>
    public async Task<List<WireMessage>> DrainAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var messages = new List<WireMessage>();
        try
        {
            while (await _pipe.ReadFrameAsync(cts.Token) is { } frame)
            {
                messages.Add(MessageCodec.DecodeFrame(frame));
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Reset by the server: everything readable before it has been collected.
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"the server did not close the connection within {timeout}");
        }

        return messages;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class StreamPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
