using System.Security.Cryptography;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol;

/// <summary>The client's state machine (protocol §4): it opens with <see cref="Start"/>, checks the server's
/// certificate and signed DH share before any credential leaves, then runs the chat phase.</summary>
public sealed class ClientProtocol : ProtocolEndpoint
{
    private State _state = State.NotStarted;
    private DhKeyPair? _ownShare;
    private long _authRequestsSent;
    private long _authResponsesReceived;

    /// <summary>Creates the client state machine.</summary>
    public ClientProtocol(LocalIdentity identity, CertificateValidator serverValidator, ProtocolSettings settings)
        : base(identity, serverValidator, settings)
    {
    }

    private enum State
    {
        NotStarted,
        AwaitServerHello,
        AwaitDhServerAuth,
        ReadyForCredentials,
        AwaitAuthResponse,
        AwaitDhServerChat,
    }

    /// <summary>True when a register/login request may be sent (k_auth established, no request pending).</summary>
    public bool CanSubmitCredentials => _state == State.ReadyForCredentials && !IsClosed;

    /// <summary>Produces the <c>hello</c> frame.</summary>
    public ProtocolOutput Start()
    {
        if (_state != State.NotStarted)
        {
            throw new InvalidOperationException("The handshake has already started.");
        }

        var hello = MessageCodec.EncodeFrame(new HelloMessage
        {
            Version = 1,
            ClientCert = Identity.Pem,
            Nonce = Convert.ToBase64String(Settings.Entropy.GetBytes(NonceLength)),
        });
        Handshake.Append(hello);
        _state = State.AwaitServerHello;
        var output = new ProtocolOutput();
        output.Frames.Add(hello);
        return output;
    }

    /// <summary>Encrypts a register/login request under k_auth_c2s.</summary>
    public ProtocolOutput SubmitCredentials(AuthRequestPlaintext request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CanSubmitCredentials)
        {
            throw new InvalidOperationException("Credentials can only be sent after the server proved its key, one request at a time.");
        }

        var plaintext = MessageCodec.Encode(request);
        byte[] ct;
        try
        {
            ct = AuthCipher.Seal(AuthPhaseKeys!.ClientToServer, Direction.ClientToServer, ++_authRequestsSent, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        var frame = MessageCodec.EncodeFrame(new AuthRequestMessage { Ct = Convert.ToBase64String(ct) });
        Handshake.Append(frame);
        _state = State.AwaitAuthResponse;
        var output = new ProtocolOutput();
        output.Frames.Add(frame);
        return output;
    }

    /// <inheritdoc/>
    public override Side Side => Side.Client;

    private protected override ProtocolOutput ReceiveHandshake(WireMessage message, ReadOnlySpan<byte> frame)
    {
        var expected = _state switch
        {
            State.AwaitServerHello => HandshakeGrammar.ServerHello,
            State.AwaitDhServerAuth => HandshakeGrammar.DhServerAuth,
            State.AwaitAuthResponse => HandshakeGrammar.AuthResponse,
            State.AwaitDhServerChat => HandshakeGrammar.DhServerChat,
            _ => null,
        };
        if (expected is null || !expected.Matches(message))
        {
            throw Unexpected(message, expected?.Name ?? (_state == State.NotStarted ? "nothing before hello" : "nothing until credentials are sent"));
        }

        var output = new ProtocolOutput();
        switch (message)
        {
            case ServerHelloMessage hello:
                AcceptPeerHello(hello.Version, hello.Nonce, hello.ServerCert, output);
                Handshake.Append(frame);
                SendDhClient(DhPhase.Auth, output);
                _state = State.AwaitDhServerAuth;
                break;
            case AuthResponseMessage response:
                OnAuthResponse(response, frame, output);
                break;
            case DhServerMessage dh when _state == State.AwaitDhServerAuth:
                var (z1, th1) = AcceptDhServer(dh, DhPhase.Auth, frame);
                AuthPhaseKeys = KeySchedule.DeriveAuthKeys(z1, th1);
                CryptographicOperations.ZeroMemory(z1);
                _state = State.ReadyForCredentials;
                output.With(new ReadyForCredentials());
                break;
            case DhServerMessage dh:
                var (z2, th2) = AcceptDhServer(dh, DhPhase.Chat, frame);
                output.With(StartChat(z2, th2, Direction.ClientToServer));
                break;
        }

        return output;
    }

    private void OnAuthResponse(AuthResponseMessage response, ReadOnlySpan<byte> frame, ProtocolOutput output)
    {
        var ct = WireBytes.FromBase64(response.Ct, "ct");
        if (!AuthCipher.TryOpen(AuthPhaseKeys!.ServerToClient, Direction.ServerToClient, ++_authResponsesReceived, ct, out var plaintext))
        {
            throw new ProtocolException(ProtocolErrorCode.DecryptFail, "auth response does not decrypt");
        }

        Handshake.Append(frame);
        var decoded = MessageCodec.DecodeAuthResponse(plaintext);
        if (decoded.Code is not (AuthCodes.Ok or AuthCodes.UserExists or AuthCodes.InvalidCredentials or AuthCodes.InvalidInput or AuthCodes.RateLimited)
            || decoded.Ok != (decoded.Code == AuthCodes.Ok))
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, "auth response carries an unknown code or one that contradicts 'ok'");
        }

        output.With(new AuthResponseReceived(decoded));
        if (decoded.Ok)
        {
            LoggedInUsername = decoded.Username;
            SendDhClient(DhPhase.Chat, output);
            _state = State.AwaitDhServerChat;
        }
        else
        {
            _state = State.ReadyForCredentials;
        }
    }

    private void SendDhClient(DhPhase phase, ProtocolOutput output)
    {
        _ownShare = DhKeyPair.Generate(Settings.PreferredGroup, Settings.Entropy);
        var group = Settings.PreferredGroup.Name;
        var sig = Identity.SigningKey.Sign(
            DhSignatures.ClientContext(phase),
            DhSignatures.ClientContent(Handshake.CurrentHash, group, _ownShare.PublicValue));
        var frame = MessageCodec.EncodeFrame(new DhClientMessage
        {
            Phase = phase.ToWire(),
            Group = group,
            A = Convert.ToBase64String(_ownShare.PublicValue),
            Sig = Convert.ToBase64String(sig),
        });
        Handshake.Append(frame);
        output.Frames.Add(frame);
    }

    /// <inheritdoc/>
    /// <remarks>Also wipes a DH share whose answer never came (a handshake abandoned midway).</remarks>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownShare?.Dispose();
            _ownShare = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Checks a signed <c>dh_server</c> before its value is used; returns Z and TH(dh_server).</summary>
    private (byte[] Z, byte[] Th) AcceptDhServer(DhServerMessage dh, DhPhase phase, ReadOnlySpan<byte> frame)
    {
        // The share is used once: it is wiped whether the server's answer is accepted or refused.
        using var own = _ownShare!;
        _ownShare = null;
        if (dh.Group != own.Group.Name)
        {
            throw new ProtocolException(ProtocolErrorCode.BadDh, $"server answered with group '{Truncate(dh.Group)}', offered {own.Group.Name}");
        }

        var b = WireBytes.FromBase64(dh.B, "B");
        var sig = WireBytes.FromBase64(dh.Sig, "sig");
        if (!DhSignatures.VerifyServer(RequirePeerKey(), phase, Handshake.CurrentHash, b, sig))
        {
            throw new ProtocolException(ProtocolErrorCode.SigFail, $"server DH signature ({phase.ToWire()}) does not verify");
        }

        var z = Agree(own, b);
        return (z, Handshake.Append(frame));
    }
}
