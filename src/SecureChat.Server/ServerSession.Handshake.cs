using System.Net;
using SecureChat.Accounts;
using SecureChat.Evidence;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Server;

/// <summary>The handshake half of a session: hello, both DH phases and register/login, within the handshake timeout.</summary>
public sealed partial class ServerSession
{
    /// <summary>Runs the handshake; false when the peer went away or was refused before the chat phase.</summary>
    private async Task<bool> HandshakeAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(_runtime.Options.HandshakeTimeoutSeconds));
        try
        {
            while (_protocol.Chat is null)
            {
                var frame = await _pipe.ReadFrameAsync(deadline.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    LogPeerClosed(_connection.ConnectionId, Username);
                    return false;
                }

                var output = _protocol.Receive(frame);
                if (output.Events.OfType<SessionEstablished>().FirstOrDefault() is { } established)
                {
                    await JoinAsync(established.SessionId, output, deadline.Token).ConfigureAwait(false);
                    continue;
                }

                await _pipe.WriteAsync(output.Frames, deadline.Token).ConfigureAwait(false);
                foreach (var request in output.Events.OfType<AuthRequestReceived>())
                {
                    var response = await AuthenticateAsync(request.Request, deadline.Token).ConfigureAwait(false);
                    var answer = _protocol.CompleteAuth(response);
                    await _pipe.WriteAsync(answer.Frames, deadline.Token).ConfigureAwait(false);
                    if (_protocol.IsClosed)
                    {
                        LogAuthFailed(_connection.ConnectionId, RemoteAddress?.ToString());
                        return false;
                    }
                }
            }

            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            LogHandshakeTimeout(_connection.ConnectionId, _connection.RemoteEndPoint?.ToString());
            await SendErrorAsync(ProtocolErrorCode.Timeout, "handshake not completed in time").ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Joins the room, then sends the last handshake frame, under the gate.</summary>
    /// <remarks>Joining before the client learns that the session is up means nothing sent to the room after that
    /// moment can miss it (the writer loop delivers what queues meanwhile). Once joined, a shutdown may send this
    /// session its receipt: the gate keeps that behind the last handshake frame.</remarks>
    private async Task JoinAsync(byte[] sessionId, ProtocolOutput output, CancellationToken cancellationToken)
    {
        OpenTranscript(sessionId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _runtime.Room.Join(this);
            LogEstablished(_connection.ConnectionId, Username, Convert.ToHexStringLower(sessionId));
            await _pipe.WriteAsync(output.Frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private IPAddress? RemoteAddress => (_connection.RemoteEndPoint as IPEndPoint)?.Address;

    /// <summary>Decides a register/login request with the user store.</summary>
    /// <exception cref="ProtocolException"><c>INTERNAL</c> when the user database is unavailable.</exception>
    private async Task<AuthResponsePlaintext> AuthenticateAsync(AuthRequestPlaintext request, CancellationToken cancellationToken)
    {
        if (_runtime.Options.IdentityMode == IdentityMode.PerUser
            && !CertificateValidator.MatchesEmail(_protocol.PeerCertificate!, request.Email))
        {
            // In per-user mode the certificate names the account; a mismatch says nothing about registration.
            return Failure(AuthCodes.InvalidCredentials, "This certificate does not belong to that account.");
        }

        var result = request.Op == AuthRequestPlaintext.Register
            ? await _runtime.Credentials.RegisterAsync(request.Email, request.Username ?? "", request.Password, RemoteAddress, cancellationToken).ConfigureAwait(false)
            : await _runtime.Credentials.LoginAsync(request.Email, request.Password, RemoteAddress, cancellationToken).ConfigureAwait(false);
        LogAuthOutcome(_connection.ConnectionId, request.Op, result.Outcome.ToString(), RemoteAddress?.ToString());
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

    private void OpenTranscript(byte[] sessionId)
    {
        var header = new TranscriptHeader
        {
            Version = 1,
            Side = "server",
            SessionId = Convert.ToHexStringLower(sessionId),
            ClientCert = _protocol.PeerCertificate!.ExportCertificatePem(),
            ServerCert = _runtime.Pki.Identity.Pem,
            Username = Username,
            StartedMs = _startedMs,
            Handshake = [.. _protocol.Transcript.Frames.Select(Convert.ToBase64String)],
        };
        _transcript = TranscriptWriter.Create(_runtime.Options.Transcripts, header);
    }
}
