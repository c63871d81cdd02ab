using System.Security.Cryptography;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol;

/// <summary>The server's state machine for one connection (protocol §4): certificate hello, signed DH for
/// k_auth, encrypted register/login, signed DH for k_chat, then the chat phase.</summary>
/// <remarks>Pure: it consumes frames and produces frames and events. The register/login decision is the
/// host's (it needs the user store): after <see cref="AuthRequestReceived"/> call <see cref="CompleteAuth"/>.</remarks>
public sealed class ServerProtocol : ProtocolEndpoint
{
    private State _state = State.AwaitHello;
    private long _authRequestsReceived;
    private long _authResponsesSent;
    private int _failedAuthAttempts;

    /// <summary>Creates the state machine for one accepted connection.</summary>
    public ServerProtocol(LocalIdentity identity, CertificateValidator clientValidator, ProtocolSettings settings)
        : base(identity, clientValidator, settings)
    {
    }

    private enum State
    {
        AwaitHello,
        AwaitDhClientAuth,
        AwaitAuthRequest,
        AwaitAuthDecision,
        AwaitDhClientChat,
    }

    /// <summary>True while a register/login request waits for <see cref="CompleteAuth"/>.</summary>
    public bool IsAwaitingAuthDecision => _state == State.AwaitAuthDecision && !IsClosed;

    /// <summary>Decides how a message this client sent is relayed (§9.6): the copy, carrying the author's origin from
    /// this session, for the other members, or a <c>refused</c> notice for this client. Safe to call while the
    /// connection handles other frames: it reads only the session id and the client certificate, fixed once established.</summary>
    public RelayPlan PlanRelay(MessageReceived received, string from)
    {
        var chat = Chat ?? throw new InvalidOperationException("The session key is not established yet.");
        return AuthorOrigin.PlanRelay(chat.SessionId, PeerCertificate!.RawData, received, from);
    }

    /// <summary>Sends the host's answer to the pending register/login request.</summary>
    /// <remarks>After the last allowed failure the output holds the response, then an <c>AUTH_FAILED</c> error
    /// frame, and <see cref="ProtocolEndpoint.IsClosed"/> is set: send both, then close.</remarks>
    public ProtocolOutput CompleteAuth(AuthResponsePlaintext response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!IsAwaitingAuthDecision)
        {
            throw new InvalidOperationException("No register/login request is pending.");
        }

        var plaintext = MessageCodec.Encode(response with { Username = response.Username ?? "", Message = response.Message ?? "" });
        var ct = AuthCipher.Seal(AuthPhaseKeys!.ServerToClient, Direction.ServerToClient, ++_authResponsesSent, plaintext);
        var frame = MessageCodec.EncodeFrame(new AuthResponseMessage { Ct = Convert.ToBase64String(ct) });
        Handshake.Append(frame);
        var output = new ProtocolOutput();
        output.Frames.Add(frame);
        if (response.Ok)
        {
            _state = State.AwaitDhClientChat;
            return output;
        }

        _failedAuthAttempts++;
        if (_failedAuthAttempts >= Settings.MaxFailedAuthAttempts)
        {
            // The brief: the third failed request gets its response, then AUTH_FAILED, then close.
            output.Frames.Add(ErrorFrame(ProtocolErrorCode.AuthFailed, "too many failed attempts"));
            IsClosed = true;
            return output;
        }

        _state = State.AwaitAuthRequest;
        return output;
    }

    /// <inheritdoc/>
    public override Side Side => Side.Server;

    private protected override ProtocolOutput ReceiveHandshake(WireMessage message, ReadOnlySpan<byte> frame)
    {
        var expected = _state switch
        {
            State.AwaitHello => HandshakeGrammar.Hello,
            State.AwaitDhClientAuth => HandshakeGrammar.DhClientAuth,
            State.AwaitAuthRequest => HandshakeGrammar.AuthRequest,
            State.AwaitDhClientChat => HandshakeGrammar.DhClientChat,
            _ => null,
        };
        if (expected is null || !expected.Matches(message))
        {
            throw Unexpected(message, expected?.Name ?? "nothing until the auth response");
        }

        var output = new ProtocolOutput();
        switch (message)
        {
            case HelloMessage hello:
                OnHello(hello, frame, output);
                break;
            case AuthRequestMessage request:
                OnAuthRequest(request, frame, output);
                break;
            case DhClientMessage dh when _state == State.AwaitDhClientAuth:
                OnDhClientAuth(dh, frame, output);
                break;
            case DhClientMessage dh:
                OnDhClientChat(dh, frame, output);
                break;
        }

        return output;
    }

    private void OnHello(HelloMessage hello, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        AcceptPeerHello(hello.Version, hello.Nonce, hello.ClientCert, output);
        Handshake.Append(frame);
        var serverHello = MessageCodec.EncodeFrame(new ServerHelloMessage
        {
            Version = 1,
            ServerCert = Identity.Pem,
            Nonce = Convert.ToBase64String(Settings.Entropy.GetBytes(NonceLength)),
        });
        Handshake.Append(serverHello);
        output.Frames.Add(serverHello);
        _state = State.AwaitDhClientAuth;
    }

    private void OnDhClientAuth(DhClientMessage dh, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var (z, th1) = RespondToDhClient(dh, DhPhase.Auth, frame, output);
        AuthPhaseKeys = KeySchedule.DeriveAuthKeys(z, th1);
        CryptographicOperations.ZeroMemory(z);
        _state = State.AwaitAuthRequest;
    }

    private void OnAuthRequest(AuthRequestMessage request, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var ct = WireBytes.FromBase64(request.Ct, "ct");
        if (!AuthCipher.TryOpen(AuthPhaseKeys!.ClientToServer, Direction.ClientToServer, ++_authRequestsReceived, ct, out var plaintext))
        {
            throw new ProtocolException(ProtocolErrorCode.DecryptFail, "auth request does not decrypt");
        }

        Handshake.Append(frame);
        try
        {
            var decoded = MessageCodec.DecodeAuthRequest(plaintext);
            if (decoded.Op is not (AuthRequestPlaintext.Register or AuthRequestPlaintext.Login))
            {
                throw new ProtocolException(ProtocolErrorCode.ProtocolError, "auth request 'op' must be register or login");
            }

            _state = State.AwaitAuthDecision;
            output.With(new AuthRequestReceived(decoded));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private void OnDhClientChat(DhClientMessage dh, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var (z2, th2) = RespondToDhClient(dh, DhPhase.Chat, frame, output);
        output.With(StartChat(z2, th2, Direction.ServerToClient));
    }

    /// <summary>Checks a signed <c>dh_client</c> and answers with a signed <c>dh_server</c>; returns Z and TH(dh_server).</summary>
    private (byte[] Z, byte[] Th) RespondToDhClient(DhClientMessage dh, DhPhase phase, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var group = RequireGroup(dh.Group, Settings.AcceptedGroups);
        var a = WireBytes.FromBase64(dh.A, "A");
        var sig = WireBytes.FromBase64(dh.Sig, "sig");
        var signedHash = Handshake.CurrentHash;
        var thBefore = Handshake.Append(frame);
        if (!DhSignatures.VerifyClient(RequirePeerKey(), phase, signedHash, dh.Group, a, sig))
        {
            throw new ProtocolException(ProtocolErrorCode.SigFail, $"client DH signature ({phase.ToWire()}) does not verify");
        }

        using var own = DhKeyPair.Generate(group, Settings.Entropy);
        var z = Agree(own, a);
        var serverSig = Identity.SigningKey.Sign(DhSignatures.ServerContext(phase), DhSignatures.ServerContent(thBefore, own.PublicValue));
        var reply = MessageCodec.EncodeFrame(new DhServerMessage
        {
            Phase = phase.ToWire(),
            Group = group.Name,
            B = Convert.ToBase64String(own.PublicValue),
            Sig = Convert.ToBase64String(serverSig),
        });
        var th = Handshake.Append(reply);
        output.Frames.Add(reply);
        return (z, th);
    }
}
