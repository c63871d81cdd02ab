using System.IO.Pipelines;
using System.Net;
using SecureChat.Accounts;
using SecureChat.Evidence;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server;

/// <summary>One client connection on the server: decides register/login, keeps the session's transcript and takes
/// part in the room. The connection driver (<see cref="ProtocolConnection"/>) does the reading, recording and
/// writing; the outbox (<see cref="SessionOutbox"/>) sends what others relay to this user.</summary>
/// <remarks>Runs over any <see cref="IDuplexPipe"/>: Kestrel's transport in production, an in-memory pipe in tests.</remarks>
public sealed class ServerSession : IConnectionHandler, IAsyncDisposable
{
    private readonly ServerRuntime _runtime;
    private readonly ServerProtocol _protocol;
    private readonly ProtocolConnection _connection;
    private readonly SessionOutbox _outbox;
    private readonly ILogger _log;
    private readonly string _connectionId;
    private readonly EndPoint? _remote;
    private readonly long _startedMs;
    private ITranscriptFile? _transcript;
    private Task? _writer;
    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Prepares a session for an accepted connection.</summary>
    /// <param name="transport">The connection's bytes.</param>
    /// <param name="runtime">What all sessions share.</param>
    /// <param name="connectionId">The transport's id for this connection, for logs.</param>
    /// <param name="remote">The peer's address, for logs and login throttling; null when unknown.</param>
    public ServerSession(IDuplexPipe transport, ServerRuntime runtime, string connectionId, EndPoint? remote)
    {
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _protocol = new ServerProtocol(runtime.Pki.Identity, runtime.Pki.ClientValidator, runtime.ProtocolSettings);
        _connection = new ProtocolConnection(transport, _protocol);
        _log = runtime.LoggerFactory.CreateLogger<ServerSession>();
        _connectionId = connectionId ?? throw new ArgumentNullException(nameof(connectionId));
        _outbox = new SessionOutbox(_connection, runtime.Options, runtime.FanOutSlots, runtime.CountBacklog, () => Log.Overflow(_log, _connectionId, Username),
            from => Log.RelayTooLarge(_log, _connectionId, Username, from), ids => runtime.Conversations.Delivered(Username, ids));
        _remote = remote;
        _startedMs = runtime.ProtocolSettings.NowMs;
    }

    /// <summary>The logged-in user's name (empty before login).</summary>
    public string Username { get; private set; } = "";

    /// <summary>Path of this session's transcript, once the chat key is established.</summary>
    public string? TranscriptPath => _transcript?.Path;

    /// <summary>How the session ended, once it has.</summary>
    public Task<ConnectionEnd> Completion => _connection.Completion;

    private string Remote => _remote?.ToString() ?? "unknown";

    private IPAddress? RemoteAddress => (_remote as IPEndPoint)?.Address;

    /// <summary>Runs the connection to its end; never throws for anything the peer does.</summary>
    public async Task<ConnectionEnd> RunAsync()
    {
        Log.Accepted(_log, _connectionId, Remote);
        _runtime.Sessions.TryAdd(this, 0);
        var timeouts = new ConnectionTimeouts(
            TimeSpan.FromSeconds(_runtime.Options.HandshakeTimeoutSeconds),
            TimeSpan.FromMinutes(_runtime.Options.IdleTimeoutMinutes));
        ConnectionEnd end;
        try
        {
            end = await _connection.RunAsync(this, timeouts).ConfigureAwait(false);
        }
        finally
        {
            _runtime.Sessions.TryRemove(this, out _);
            _runtime.Room.Leave(this);
            _runtime.Conversations.Offline(this);
            _outbox.Complete();
            if (_writer is not null)
            {
                await _writer.ConfigureAwait(false);
            }

            _outbox.DiscardUnsent();
        }

        LogEnd(end);
        Log.Closed(_log, _connectionId, Username, _protocol.Chat?.LastReceived ?? 0, _protocol.Chat?.LastSent ?? 0);
        return end;
    }

    /// <summary>Ends the session at shutdown: with receipts once established (a handshake in progress gets the receipt
    /// wait to complete), else with <c>SERVER_BUSY</c>; waits a bounded time for the client's receipt.</summary>
    /// <returns>How the session ended.</returns>
    public async Task<ConnectionEnd> EndAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_runtime.Options.ReceiptWaitSeconds));
        try
        {
            await Task.WhenAny(_established.Task, _connection.Completion).WaitAsync(timeout.Token).ConfigureAwait(false);
            if (_connection.State == ConnectionState.Open)
            {
                await _connection.SendAsync(endpoint => endpoint.EndSession(), timeout.Token).ConfigureAwait(false);
                await _connection.Completion.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            if (_connection.State == ConnectionState.Handshake)
            {
                _connection.Abort(ProtocolErrorCode.ServerBusy, "the server is shutting down");
            }
            else
            {
                _connection.Abandon();
            }
        }
        catch (Exception e) when (ProtocolConnection.IsConnectionGone(e))
        {
            // The read loop finds out how the connection ended.
        }

        return await _connection.Completion.ConfigureAwait(false);
    }

    /// <summary>Queues a server notice for this user.</summary>
    public void Post(OutgoingChat notice) => _outbox.Post(notice);

    /// <summary>Queues a relayed message for this user (see <see cref="SessionOutbox.EnqueueAsync"/>); a stored message's
    /// <paramref name="storedId"/> is reported delivered once its copy is written.</summary>
    public ValueTask EnqueueAsync(OutgoingChat message, long storedId, CancellationToken cancellationToken) =>
        _outbox.EnqueueAsync(message, storedId, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Only after <see cref="RunAsync"/> has returned: the connection is closed then, so nothing writes to
    /// the transcript or uses a key any more.</remarks>
    public ValueTask DisposeAsync()
    {
        _transcript?.Dispose();
        _protocol.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Joining before the client learns that the session is up (the last handshake frame is written after
    /// this returns, under the same gate) means nothing sent to the room afterwards can miss it or overtake that
    /// frame.</remarks>
    void IConnectionHandler.OnAccepted(ReceivedBatch batch)
    {
        if (batch.Established is not { } established)
        {
            return;
        }

        _transcript = _runtime.OpenTranscript(TranscriptHeaders.For(_protocol, Username, _startedMs));
        _connection.Recorder = _transcript;
        _runtime.Room.Join(this);
        _runtime.Conversations.Online(this);
        _writer = Task.Run(_outbox.RunAsync);
        _ = Task.Run(() => _runtime.Conversations.WelcomeAsync(this, _connection.Closing));
        _established.TrySetResult();
        Log.Established(_log, _connectionId, Username, Convert.ToHexStringLower(established.SessionId));
    }

    /// <inheritdoc/>
    async ValueTask IConnectionHandler.OnReceivedAsync(ReceivedBatch batch, CancellationToken cancellationToken)
    {
        foreach (var received in batch.Received)
        {
            var seqno = received.Message.Seqno;
            if (received.Content.Kind == ChatPlaintext.CommandKind)
            {
                await _runtime.Conversations.CommandAsync(this, received.Content, seqno, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The protocol decides: relay with the author's origin, or tell the author why not (the session goes on).
            var plan = _protocol.PlanRelay(received, Username);
            if (plan.Copy is not null && _runtime.RelayBacklog > _runtime.Options.MaxRelayBacklog)
            {
                // Beyond the bound the server refuses the message rather than queue it behind a backlog it cannot
                // deliver in reasonable time: the author is told, nobody is dropped.
                plan = RelayPlan.Refuse(AuthorOrigin.Refusal(AuthorOrigin.ServerBusy, seqno,
                    $"message {seqno} was not relayed: the server is saturated; send it again in a moment"));
            }

            var refusal = plan.Copy is { } copy
                ? await _runtime.Conversations.RelayAsync(this, copy, seqno, cancellationToken).ConfigureAwait(false)
                : plan.Refusal;
            if (refusal is not null)
            {
                Log.RelayRefused(_log, _connectionId, Username, seqno, refusal.Code ?? "");
                _outbox.Post(refusal);
            }
        }

        foreach (var output in batch.Outputs)
        {
            if (output.AuthRequest is { } request)
            {
                var response = await AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
                await _connection.SendAsync(_ => _protocol.CompleteAuth(response), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Decides a register/login request with the user store.</summary>
    /// <exception cref="ProtocolException"><c>INTERNAL</c> when the user database is unavailable.</exception>
    private async Task<AuthResponsePlaintext> AuthenticateAsync(AuthRequestPlaintext request, CancellationToken cancellationToken)
    {
        if (_runtime.Options.IdentityMode == IdentityMode.PerUser
            && !_protocol.PeerCertificateNames(request.Email))
        {
            // In per-user mode the certificate names the account; a mismatch says nothing about registration.
            return Failure(AuthCodes.InvalidCredentials, "This certificate does not belong to that account.");
        }

        var credentials = _runtime.Credentials;
        var result = request.Op == AuthRequestPlaintext.Register
            ? await credentials.RegisterAsync(request.Email, request.Username ?? "", request.Password, RemoteAddress, cancellationToken).ConfigureAwait(false)
            : await credentials.LoginAsync(request.Email, request.Password, RemoteAddress, cancellationToken).ConfigureAwait(false);
        Log.AuthOutcome(_log, _connectionId, request.Op, result.Outcome.ToString(), Remote);
        switch (result.Outcome)
        {
            case CredentialOutcome.Ok:
                Username = result.Username ?? "";
                return new AuthResponsePlaintext { Ok = true, Code = AuthCodes.Ok, Username = Username, Message = result.Message };
            case CredentialOutcome.Unavailable:
                throw new ProtocolException(ProtocolErrorCode.Internal, "the user database is unavailable; try again later");
            default:
                return Failure(result.Outcome switch
                {
                    CredentialOutcome.UserExists => AuthCodes.UserExists,
                    CredentialOutcome.InvalidInput => AuthCodes.InvalidInput,
                    CredentialOutcome.RateLimited => AuthCodes.RateLimited,
                    _ => AuthCodes.InvalidCredentials,
                }, result.Message);
        }
    }

    private static AuthResponsePlaintext Failure(string code, string message) =>
        new() { Ok = false, Code = code, Username = "", Message = message };

    private void LogEnd(ConnectionEnd end)
    {
        var error = end.Error;
        switch (end.Reason)
        {
            case EndReason.ReceiptsExchanged:
                Log.ReceiptsExchanged(_log, _connectionId, Username);
                break;
            case EndReason.PeerClosed:
                Log.PeerClosed(_log, _connectionId, Username);
                break;
            case EndReason.ProtocolError:
                Log.ProtocolError(_log, _connectionId, Username, error!.Code.ToWire(), error.Message);
                break;
            case EndReason.PeerError:
                Log.PeerError(_log, _connectionId, Username, error!.Code.ToWire(), error.Message);
                break;
            case EndReason.ClosedByProtocol:
                Log.AuthFailed(_log, _connectionId, Remote);
                break;
            case EndReason.HandshakeTimeout:
                Log.HandshakeTimeout(_log, _connectionId, Remote);
                break;
            case EndReason.IdleTimeout:
                Log.Idle(_log, _connectionId, Username);
                break;
            case EndReason.Abandoned:
                Log.NoPeerReceipt(_log, _connectionId, Username);
                break;
            case EndReason.EvidenceFailed:
                Log.EvidenceFailed(_log, _connectionId, Username, _connection.EvidenceFailureCause ?? "unknown");
                break;
            case EndReason.Lost:
                Log.ConnectionLost(_log, _connectionId, Username, end.Cause ?? "closed in the middle of a frame");
                break;
        }
    }
}
