using System.Net.Sockets;
using System.Threading.Channels;
using SecureChat.Evidence;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.Client;

/// <summary>A client connection: drives a <see cref="ClientProtocol"/> over TCP, keeps the client's transcript
/// (with plaintext, the owner's record) and surfaces incoming messages as <see cref="ChatEvent"/>s.</summary>
public sealed partial class ChatClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly FramedPipe _pipe;
    private readonly ClientProtocol _protocol;
    private readonly ChatClientOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<ChatEnded> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _startedMs;
    private TranscriptWriter? _transcript;
    private Task? _reader;

    private ChatClient(TcpClient tcp, ChatClientOptions options)
    {
        _tcp = tcp;
        _options = options;
        _pipe = FramedPipe.Over(tcp.GetStream());
        _protocol = new ClientProtocol(options.Identity, options.ServerValidator, options.Settings);
        _startedMs = options.Settings.NowMs;
    }

    /// <summary>The username the server confirmed, once logged in.</summary>
    public string? Username { get; private set; }

    /// <summary>The session id (hex), once k_chat is established.</summary>
    public string? SessionId { get; private set; }

    /// <summary>This session's transcript file, once established.</summary>
    public string? TranscriptPath => _transcript?.Path;

    /// <summary>Incoming messages and the end of the session.</summary>
    public ChannelReader<ChatEvent> Events => _events.Reader;

    /// <summary>Completes when the session ends (receipts exchanged, error or disconnect).</summary>
    public Task<ChatEnded> Completion => _ended.Task;

    /// <summary>Connects, exchanges certificates and runs the signed DH for k_auth.</summary>
    /// <exception cref="ProtocolException">The server was refused (e.g. BAD_CERT) or refused us.</exception>
    /// <exception cref="SocketException">The server is unreachable.</exception>
    public static async Task<ChatClient> ConnectAsync(string host, int port, ChatClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        var client = new ChatClient(tcp, options);
        try
        {
            await client.WriteAsync(client._protocol.Start(), cancellationToken).ConfigureAwait(false);
            await client.HandshakeUntilAsync(() => client._protocol.CanSubmitCredentials, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Registers a new account; on success the session key is established and chat may start.</summary>
    public Task<AuthResponsePlaintext> RegisterAsync(string email, string username, string password, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(new AuthRequestPlaintext { Op = AuthRequestPlaintext.Register, Email = email, Username = username, Password = password }, cancellationToken);

    /// <summary>Logs in; on success the session key is established and chat may start.</summary>
    public Task<AuthResponsePlaintext> LoginAsync(string email, string password, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(new AuthRequestPlaintext { Op = AuthRequestPlaintext.Login, Email = email, Password = password }, cancellationToken);

    /// <summary>Sends one message (logged in the transcript before it leaves).</summary>
    public async Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var output = _protocol.SendText(text);
            Record(output);
            await _pipe.WriteAsync(output.Frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the session with receipts and waits for the server's; reports whether they matched.</summary>
    public async Task<ChatEnded> EndAsync(CancellationToken cancellationToken = default)
    {
        if (!_ended.Task.IsCompleted)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var output = _protocol.EndSession();
                Record(output);
                await _pipe.WriteAsync(output.Frames, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The read loop reports how the session ended.
            }
            finally
            {
                _gate.Release();
            }
        }

        try
        {
            return await _ended.Task.WaitAsync(_options.ReceiptTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A server that never answers must end the session with a reason, like every other way it can end.
            var timedOut = new ChatEnded(false, new ProtocolException(ProtocolErrorCode.Timeout, "the server did not send its receipt in time"));
            return _ended.TrySetResult(timedOut) ? timedOut : await _ended.Task.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _tcp.Dispose();
        if (_reader is not null)
        {
            await _reader.ConfigureAwait(false);
        }

        _transcript?.Dispose();
        _protocol.Dispose();
        _lifetime.Dispose();
        _gate.Dispose();
    }

    private async Task<AuthResponsePlaintext> AuthenticateAsync(AuthRequestPlaintext request, CancellationToken cancellationToken)
    {
        await WriteAsync(_protocol.SubmitCredentials(request), cancellationToken).ConfigureAwait(false);
        AuthResponsePlaintext? response = null;
        await HandshakeUntilAsync(() => response is { Ok: false } || _protocol.Chat is not null, cancellationToken, e =>
        {
            if (e is AuthResponseReceived r)
            {
                response = r.Response;

                // Known before the chat DH completes, so the transcript header can name the user.
                Username = r.Response.Ok ? r.Response.Username : Username;
            }
        }).ConfigureAwait(false);
        if (response!.Ok)
        {
            _reader = Task.Run(ReadLoopAsync, CancellationToken.None);
        }

        return response;
    }

    private async Task HandshakeUntilAsync(Func<bool> done, CancellationToken cancellationToken, Action<ProtocolEvent>? observe = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.HandshakeTimeout);
        while (!done())
        {
            byte[]? frame;
            try
            {
                frame = await ReadFrameAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProtocolException(ProtocolErrorCode.Timeout, "the server did not answer in time");
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // A reset is a lost connection like any other, not an exception type of its own for the caller.
                throw new ProtocolException(ProtocolErrorCode.ProtocolError, "the connection was lost during the handshake");
            }

            if (frame is null)
            {
                throw new ProtocolException(ProtocolErrorCode.ProtocolError, "the server closed the connection during the handshake");
            }

            var output = await ReceiveAsync(frame, deadline.Token).ConfigureAwait(false);
            foreach (var e in output.Events)
            {
                observe?.Invoke(e);
                if (e is SessionEstablished established)
                {
                    SessionId = Convert.ToHexStringLower(established.SessionId);
                    OpenTranscript();
                }
            }
        }
    }

    private async Task WriteAsync(ProtocolOutput output, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _pipe.WriteAsync(output.Frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OpenTranscript()
    {
        if (_options.TranscriptDirectory is null)
        {
            return;
        }

        _transcript = TranscriptWriter.Create(_options.TranscriptDirectory, new TranscriptHeader
        {
            Version = 1,
            Side = "client",
            SessionId = SessionId!,
            ClientCert = _options.Identity.Pem,
            ServerCert = _protocol.PeerCertificate!.ExportCertificatePem(),
            Username = Username ?? "",
            StartedMs = _startedMs,
            Handshake = [.. _protocol.Transcript.Frames.Select(Convert.ToBase64String)],
        });
    }

    /// <summary>Writes transcript lines (the client keeps plaintext, its owner's record) before anything is sent or shown.</summary>
    private void Record(ProtocolOutput output) => _transcript?.Record(output, keepPlaintext: true);
}
