using System.Security.Cryptography;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

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
        Transcript.Append(frame);
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

    private protected override ProtocolOutput ReceiveHandshake(WireMessage message, ReadOnlySpan<byte> frame)
    {
        var output = new ProtocolOutput();
        switch (_state, message)
        {
            case (State.AwaitHello, HelloMessage hello):
                OnHello(hello, frame, output);
                break;
            case (State.AwaitDhClientAuth, DhClientMessage dh) when dh.Phase == DhPhase.Auth:
                OnDhClientAuth(dh, frame, output);
                break;
            case (State.AwaitAuthRequest, AuthRequestMessage request):
                OnAuthRequest(request, frame, output);
                break;
            case (State.AwaitDhClientChat, DhClientMessage dh) when dh.Phase == DhPhase.Chat:
                OnDhClientChat(dh, frame, output);
                break;
            default:
                throw Unexpected(message, _state switch
                {
                    State.AwaitHello => "hello",
                    State.AwaitDhClientAuth => "dh_client (auth)",
                    State.AwaitAuthRequest => "auth_request",
                    State.AwaitAuthDecision => "nothing until the auth response",
                    _ => "dh_client (chat)",
                });
        }

        return output;
    }

    private void OnHello(HelloMessage hello, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        AcceptPeerHello(hello.Version, hello.Nonce, hello.ClientCert, output);
        Transcript.Append(frame);
        var serverHello = MessageCodec.EncodeFrame(new ServerHelloMessage
        {
            Version = 1,
            ServerCert = Identity.Pem,
            Nonce = Convert.ToBase64String(Settings.Entropy.GetBytes(NonceLength)),
        });
        Transcript.Append(serverHello);
        output.Frames.Add(serverHello);
        _state = State.AwaitDhClientAuth;
    }

    private void OnDhClientAuth(DhClientMessage dh, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var (z, th1) = RespondToDhClient(dh, frame, output);
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

        Transcript.Append(frame);
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
        var (z2, th2) = RespondToDhClient(dh, frame, output);
        output.With(StartChat(z2, th2, Direction.ServerToClient));
    }

    /// <summary>Checks a signed <c>dh_client</c> and answers with a signed <c>dh_server</c>; returns Z and TH(dh_server).</summary>
    private (byte[] Z, byte[] Th) RespondToDhClient(DhClientMessage dh, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var group = RequireGroup(dh.Group, Settings.AcceptedGroups);
        var a = WireBytes.FromBase64(dh.A, "A");
        var sig = WireBytes.FromBase64(dh.Sig, "sig");
        var signedHash = Transcript.CurrentHash;
        var thBefore = Transcript.Append(frame);
        if (!DhSignatures.VerifyClient(RequirePeerKey(), dh.Phase, signedHash, dh.Group, a, sig))
        {
            throw new ProtocolException(ProtocolErrorCode.SigFail, $"client DH signature ({dh.Phase}) does not verify");
        }

        using var own = DhKeyPair.Generate(group, Settings.Entropy);
        var z = Agree(own, a);
        var serverSig = Identity.SigningKey.Sign(DhSignatures.ServerContext(dh.Phase), DhSignatures.ServerContent(thBefore, own.PublicValue));
        var reply = MessageCodec.EncodeFrame(new DhServerMessage
        {
            Phase = dh.Phase,
            Group = group.Name,
            B = Convert.ToBase64String(own.PublicValue),
            Sig = Convert.ToBase64String(serverSig),
        });
        var th = Transcript.Append(reply);
        output.Frames.Add(reply);
        return (z, th);
    }
}
