using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using SecureChat.Evidence;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.Protocol.Transport;

namespace SecureChat.Client;

/// <summary>A client connection: a <see cref="ClientProtocol"/> driven over TCP by the shared connection driver
/// (<see cref="ProtocolConnection"/>); it keeps the client's transcript (with plaintext, the owner's record) and
/// surfaces incoming messages as <see cref="ChatEvent"/>s.</summary>
public sealed partial class ChatClient : IConnectionHandler, IAsyncDisposable
{
    private readonly IDuplexPipe _transport;
    private readonly IDisposable? _socket;
    private readonly ClientProtocol _protocol;
    private readonly ProtocolConnection _connection;
    private readonly ChatClientOptions _options;
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<ChatEnded> _ended = NewSource<ChatEnded>();
    private readonly TaskCompletionSource<bool> _ready = NewSource<bool>();
    private readonly TaskCompletionSource<bool> _established = NewSource<bool>();
    private readonly long _startedMs;
    private TaskCompletionSource<AuthResponsePlaintext> _answer = NewSource<AuthResponsePlaintext>();
    private TranscriptWriter? _transcript;
    private Task? _run;

    private ChatClient(IDuplexPipe transport, IDisposable? socket, ChatClientOptions options)
    {
        _transport = transport;
        _socket = socket;
        _options = options;
        _protocol = new ClientProtocol(options.Identity, options.CachingServerValidator, options.Settings);
        _connection = new ProtocolConnection(transport, _protocol);
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

        return await StartAsync(new ChatClient(FramedPipe.PipeOver(tcp.GetStream()), tcp, options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As <see cref="ConnectAsync(string, int, ChatClientOptions, CancellationToken)"/>, over a transport the
    /// caller has opened (an in-memory pipe in tests, any stream through <see cref="FramedPipe.PipeOver"/>).</summary>
    public static Task<ChatClient> ConnectAsync(IDuplexPipe transport, ChatClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        return StartAsync(new ChatClient(transport, null, options), cancellationToken);
    }

    /// <summary>Registers a new account; on success the session key is established and chat may start.</summary>
    public Task<AuthResponsePlaintext> RegisterAsync(string email, string username, string password, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(new AuthRequestPlaintext { Op = AuthRequestPlaintext.Register, Email = email, Username = username, Password = password }, cancellationToken);

    /// <summary>Logs in; on success the session key is established and chat may start.</summary>
    public Task<AuthResponsePlaintext> LoginAsync(string email, string password, CancellationToken cancellationToken = default) =>
        AuthenticateAsync(new AuthRequestPlaintext { Op = AuthRequestPlaintext.Login, Email = email, Password = password }, cancellationToken);

    /// <summary>Sends one message (recorded in the transcript before it leaves).</summary>
    /// <returns>False when the session has already ended (<see cref="Completion"/> says how); nothing was sent.</returns>
    /// <exception cref="ArgumentException">The text is too long to send; the session goes on.</exception>
    public Task<bool> SendAsync(string text, CancellationToken cancellationToken = default) =>
        SendContentAsync(new OutgoingChat(text, To: AuthorOrigin.DefaultRoom), cancellationToken);

    /// <summary>Seals and sends one plaintext (recorded in the transcript before it leaves).</summary>
    /// <returns>False when the session has already ended; nothing was sent.</returns>
    /// <exception cref="ArgumentException">The protocol refused it (too long); the session goes on.</exception>
    private async Task<bool> SendContentAsync(OutgoingChat content, CancellationToken cancellationToken)
    {
        var output = await _connection.SendAsync(endpoint => endpoint.Send(content), cancellationToken).ConfigureAwait(false);
        return output?.Refused is { } refused ? throw new ArgumentException(refused.Message, "text") : output is not null;
    }

    /// <summary>Ends the session with receipts and waits for the server's; reports whether they matched.</summary>
    public async Task<ChatEnded> EndAsync(CancellationToken cancellationToken = default)
    {
        if (!_ended.Task.IsCompleted)
        {
            try
            {
                await _connection.SendAsync(endpoint => endpoint.EndSession(), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The read loop reports how the session ended.
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
        _connection.Abandon();
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }

        await _transport.Output.CompleteAsync().ConfigureAwait(false);
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        _socket?.Dispose();
        _transcript?.Dispose();
        _protocol.Dispose();
    }

    /// <inheritdoc/>
    void IConnectionHandler.OnAccepted(ReceivedBatch batch)
    {
        foreach (var output in batch.Outputs)
        {
            if (output.AuthResponse is { Ok: true } response)
            {
                // Known before the chat DH completes, so the transcript header can name the user.
                Username = response.Username;
            }
        }

        if (batch.Established is { } established)
        {
            SessionId = Convert.ToHexStringLower(established.SessionId);
            if (_options.TranscriptDirectory is { } directory)
            {
                _transcript = TranscriptWriter.Create(directory, TranscriptHeaders.For(_protocol, Username ?? "", _startedMs), keepPlaintext: true);
                _connection.Recorder = _transcript;
            }
        }
    }

    /// <inheritdoc/>
    async ValueTask IConnectionHandler.OnReceivedAsync(ReceivedBatch batch, CancellationToken cancellationToken)
    {
        foreach (var output in batch.Outputs)
        {
            if (output.IsReadyForCredentials)
            {
                _ready.TrySetResult(true);
            }

            if (output.AuthResponse is { } response)
            {
                _answer.TrySetResult(response);
            }

            if (output.Established is not null)
            {
                _established.TrySetResult(true);
            }

            foreach (var m in output.Received)
            {
                // The protocol has already refused (BAD_ORIGIN) any relayed copy whose origin does not prove its author.
                // A past copy (delayed, history) of an author message already shown is kept as evidence, not shown twice.
                if (m.Origin is { } origin && !_shown.Add((origin.AuthorSessionId, origin.AuthorSeqno)))
                {
                    continue;
                }

                var c = m.Content;
                await _events.Writer.WriteAsync(new ChatMessageReceived(m.Message.Seqno, c.From, c.Text, c.Kind ?? ChatPlaintext.ChatKind,
                    c.Ts ?? m.Message.Ts, c.Event, c.Users)
                {
                    Proof = m.Origin?.Level,
                    AuthorEmail = m.Origin?.AuthorEmail,
                    To = m.Origin?.Conversation ?? c.To,
                    Code = c.Code,
                    Ref = c.Ref,
                    Mark = m.Origin?.Mark,
                    Rooms = c.Rooms,
                    Online = c.Online,
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static async Task<ChatClient> StartAsync(ChatClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client._connection.SendAsync(_ => client._protocol.Start(), cancellationToken).ConfigureAwait(false);
            client._run = Task.Run(client.RunAsync, CancellationToken.None);
            await client.AwaitServerAsync(client._ready.Task, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync()
    {
        var end = await _connection.RunAsync(this, ConnectionTimeouts.None).ConfigureAwait(false);
        var ended = end.Reason switch
        {
            EndReason.ReceiptsExchanged => new ChatEnded(true, null),
            EndReason.PeerClosed => new ChatEnded(false, new ProtocolException(ProtocolErrorCode.ProtocolError, "the server closed the connection without a receipt")),
            _ when end.Error is { } error => new ChatEnded(false, error),
            _ => new ChatEnded(false, new ProtocolException(ProtocolErrorCode.ProtocolError, "the connection was lost")),
        };
        await _events.Writer.WriteAsync(ended).ConfigureAwait(false);
        _events.Writer.TryComplete();
        _ended.TrySetResult(ended);
    }

    private async Task<AuthResponsePlaintext> AuthenticateAsync(AuthRequestPlaintext request, CancellationToken cancellationToken)
    {
        var answer = _answer = NewSource<AuthResponsePlaintext>();
        await _connection.SendAsync(_ => _protocol.SubmitCredentials(request), cancellationToken).ConfigureAwait(false);
        var response = await AwaitServerAsync(answer.Task, cancellationToken).ConfigureAwait(false);
        if (response.Ok)
        {
            await AwaitServerAsync(_established.Task, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Waits, within the handshake timeout, for the server's next answer; the connection ending first
    /// (refusal, error, close) is thrown as the reason.</summary>
    private async Task<T> AwaitServerAsync<T>(Task<T> answer, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await Task.WhenAny(answer, _connection.Completion).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolException(ProtocolErrorCode.Timeout, "the server did not answer in time");
        }

        if (answer.IsCompleted)
        {
            return await answer.ConfigureAwait(false);
        }

        var end = await _connection.Completion.ConfigureAwait(false);
        throw end switch
        {
            { Reason: EndReason.PeerClosed } => new ProtocolException(ProtocolErrorCode.ProtocolError, "the server closed the connection during the handshake"),
            { Error: { } error } => error,
            _ => new ProtocolException(ProtocolErrorCode.ProtocolError, "the connection was lost during the handshake"),
        };
    }
}
