using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol;

/// <summary>What both state machines share: the handshake transcript, peer certificate handling, the chat
/// phase and teardown. Not thread-safe: a host drives one endpoint from one place at a time.</summary>
public abstract class ProtocolEndpoint : IDisposable
{
    /// <summary>Length of the hello nonces.</summary>
    public const int NonceLength = 32;

    private bool _receiptSent;
    private bool _peerReceiptReceived;

    private protected ProtocolEndpoint(LocalIdentity identity, CertificateValidator validator, ProtocolSettings settings)
    {
        Identity = identity ?? throw new ArgumentNullException(nameof(identity));
        Validator = validator ?? throw new ArgumentNullException(nameof(validator));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    /// <summary>The handshake frames and their running hash (TH).</summary>
    public HandshakeHash Handshake { get; } = new();

    /// <summary>The peer's certificate once accepted. With a <see cref="CertificateCache"/> it may be the instance
    /// other sessions use: never dispose it; the endpoint releases what it owns when it is disposed.</summary>
    public X509Certificate2? PeerCertificate => PeerParsed?.Certificate;

    /// <summary>Whether the accepted peer certificate names <paramref name="email"/> (subject CN or rfc822Name), read
    /// from the facts parsed when it was accepted.</summary>
    public bool PeerCertificateNames(string email) => PeerParsed is { } parsed && CertificateValidator.MatchesEmail(parsed, email);

    /// <summary>The chat phase, once k_chat is established.</summary>
    public ChatSession? Chat { get; private protected set; }

    /// <summary>True when the session has ended (receipts exchanged) or failed.</summary>
    public bool IsClosed { get; private protected set; }

    /// <summary>This endpoint's identity.</summary>
    protected LocalIdentity Identity { get; }

    /// <summary>Settings in force.</summary>
    protected ProtocolSettings Settings { get; }

    private protected CertificateValidator Validator { get; }

    /// <summary>A borrowed view of the peer's key: the parsed certificate owns (or the cache shares) the key itself.</summary>
    private protected VerificationKey? PeerKey { get; private set; }

    /// <summary>The peer's accepted certificate with its facts and key; shared when the validator has a cache.</summary>
    private protected ParsedCertificate? PeerParsed { get; private set; }

    /// <summary>k_auth and the auth secret, from the first DH until the chat keys are derived.</summary>
    private protected AuthKeys? AuthPhaseKeys { get; set; }

    /// <summary>Handles frames received together, in order, until one is refused or the session ends; the hosts
    /// then record every accepted step with one disk flush before acting on any of them.</summary>
    /// <returns>The outputs of the accepted frames, and the error of the first refused one (the frames before it
    /// stay accepted: their messages are valid and must still be recorded and delivered).</returns>
    public ReceivedBatch ReceiveAll(IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var outputs = new List<ProtocolOutput>(frames.Count);
        foreach (var frame in frames)
        {
            if (IsClosed)
            {
                break;
            }

            try
            {
                outputs.Add(Receive(frame));
            }
            catch (ProtocolException e)
            {
                return new ReceivedBatch(outputs, e);
            }
        }

        return new ReceivedBatch(outputs, null);
    }

    /// <summary>Handles one whole frame received from the peer (length prefix included).</summary>
    /// <exception cref="ProtocolException">The connection must end; unless <see cref="ProtocolException.IsRemote"/>,
    /// send <see cref="ErrorFrame"/> with its code first.</exception>
    public ProtocolOutput Receive(ReadOnlySpan<byte> frame)
    {
        if (IsClosed)
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, "frame after the session ended");
        }

        try
        {
            var message = MessageCodec.DecodeFrame(frame);
            if (message is ErrorMessage error)
            {
                throw ProtocolException.FromPeer(ProtocolErrorCodes.FromWire(error.Code), error.Message);
            }

            return Chat is null ? ReceiveHandshake(message, frame) : ReceiveChat(message);
        }
        catch (ProtocolException)
        {
            IsClosed = true;
            throw;
        }
    }

    /// <summary>The username the server confirmed at login (null before; on the server side, unused).</summary>
    public string? LoggedInUsername { get; private protected set; }

    /// <summary>Which end this state machine plays.</summary>
    public abstract Side Side { get; }

    /// <summary>True while chat messages may be sent: k_chat is established and this side's receipt has not gone.</summary>
    public bool CanSendMessages => Chat is not null && !_receiptSent && !IsClosed;

    /// <summary>This side's certificate, PEM, as sent in its hello.</summary>
    public string LocalCertificatePem => Identity.Pem;

    /// <summary>Seals one chat message (the protocol draws its commitment randomness); a message that cannot be
    /// sent comes back as <see cref="ProtocolOutput.Refused"/> with no frame, and the session goes on.</summary>
    public ProtocolOutput Send(OutgoingChat content)
    {
        var chat = RequireChat();
        if (_receiptSent)
        {
            throw new InvalidOperationException("No message may follow this side's receipt.");
        }

        var sealedMessage = chat.Seal(content);
        if (sealedMessage.Sent is not { } sent)
        {
            return new ProtocolOutput().With(new MessageRefused(sealedMessage.Refusal, sealedMessage.Reason!));
        }

        var output = new ProtocolOutput().With(sent);
        output.Frames.Add(MessageCodec.EncodeFrame(sent.Message));
        return output;
    }

    /// <summary>Seals a text message.</summary>
    public ProtocolOutput SendText(string text) => Send(new OutgoingChat(text));

    /// <summary>Ends the session by sending this side's receipt; the peer answers with its own.</summary>
    public ProtocolOutput EndSession()
    {
        var output = new ProtocolOutput();
        if (!_receiptSent && !IsClosed)
        {
            AddOwnReceipt(output);
        }

        return output;
    }

    /// <summary>Builds an <c>error</c> frame to send before closing.</summary>
    public static byte[] ErrorFrame(ProtocolErrorCode code, string message) =>
        MessageCodec.EncodeFrame(new ErrorMessage { Code = code.ToWire(), Message = message });

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases and zeroes every key this endpoint still holds, and the peer's certificate (its native
    /// handle would otherwise wait for the finalizer thread, which under load falls behind the connections).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            AuthPhaseKeys?.Dispose();
            Chat?.Dispose();
            PeerKey?.Dispose();
            PeerParsed?.Dispose();
            Handshake.Dispose();
        }
    }

    private protected abstract ProtocolOutput ReceiveHandshake(WireMessage message, ReadOnlySpan<byte> frame);

    /// <summary>Checks <c>version</c>, the nonce and the peer certificate of a hello.</summary>
    private protected void AcceptPeerHello(long version, string nonce, string certificatePem, ProtocolOutput output)
    {
        if (version != 1)
        {
            throw new ProtocolException(ProtocolErrorCode.UnsupportedVersion, $"version {version} is not supported (only 1)");
        }

        WireBytes.FromBase64(nonce, "nonce", NonceLength);
        // The cache spares the parse and the key import of a certificate seen before; the chain, revocation, validity
        // and policy are still checked here, for this session.
        var cache = Validator.Cache;
        var parsed = PemFiles.TryParsePeerCertificate(certificatePem, cache)
            ?? throw new ProtocolException(ProtocolErrorCode.BadCert, "peer certificate is not a single well-formed PEM certificate");
        var check = Validator.Validate(parsed, Settings.Time.GetUtcNow());
        if (!check.IsValid)
        {
            parsed.Dispose();
            throw new ProtocolException(ProtocolErrorCode.BadCert, $"certificate rejected: {check.Reason}");
        }

        // Admitted only once accepted, so that a peer cannot fill the cache with certificates of its own making.
        parsed = cache?.Admit(parsed) ?? parsed;
        PeerParsed = parsed;
        PeerKey = parsed.BorrowKey()
            ?? throw new ProtocolException(ProtocolErrorCode.BadCert, "certificate key is neither RSA nor ECDSA");
        output.With(new PeerCertificateAccepted(parsed.Certificate));
    }

    /// <summary>Resolves a group name against the policy or throws <c>BAD_DH</c>.</summary>
    private protected DhGroup RequireGroup(string name, IReadOnlyList<DhGroup> accepted)
    {
        var group = DhGroup.FromName(name);
        if (group is null || !accepted.Contains(group))
        {
            throw new ProtocolException(ProtocolErrorCode.BadDh, $"DH group '{Truncate(name)}' is not allowed");
        }

        return group;
    }

    /// <summary>Computes Z with the peer's public value or throws <c>BAD_DH</c>.</summary>
    private protected static byte[] Agree(DhKeyPair own, byte[] peerValue)
    {
        if (!own.TryComputeSharedSecret(peerValue, out var z))
        {
            throw new ProtocolException(ProtocolErrorCode.BadDh, "peer DH public value is out of range or gives a trivial secret");
        }

        return z;
    }

    /// <summary>Starts the chat phase from the auth secret, Z2 and TH2; zeroes the inputs it consumes.</summary>
    private protected SessionEstablished StartChat(byte[] z2, byte[] th2, Direction outbound)
    {
        var authKeys = AuthPhaseKeys ?? throw new InvalidOperationException("k_auth is not established.");
        AuthPhaseKeys = null;
        var keys = KeySchedule.DeriveChatKeys(authKeys.AuthSecret, z2, th2);
        CryptographicOperations.ZeroMemory(z2);
        authKeys.Dispose();
        var peerCert = PeerCertificate!.RawData;
        var ownCert = Identity.Certificate.RawData;
        var (clientDer, serverDer) = outbound == Direction.ClientToServer ? (ownCert, peerCert) : (peerCert, ownCert);

        // The chat session gets its own borrowed view of the one imported key: disposing either view never breaks the
        // other, and the key itself lives as long as the parsed certificate (or the cache) holds it.
        var peerKey = PeerParsed!.BorrowKey()!;
        // A client checks the origin of every relayed copy against author certificates of the same Root CA (§9.6.3).
        var origins = outbound == Direction.ClientToServer
            ? new OriginVerifier(Validator.ForPeer(ExpectedPeer.Client, null), Settings.MaxClockSkew, Settings.MaxTextBytes, LoggedInUsername)
            : null;
        Chat = new ChatSession(keys, outbound, Identity.SigningKey, peerKey, clientDer, serverDer, Settings, origins);
        return new SessionEstablished(keys.SessionId.ToArray());
    }

    private protected VerificationKey RequirePeerKey() =>
        PeerKey ?? throw new InvalidOperationException("The peer certificate has not been accepted yet.");

    private protected static string Truncate(string? text) => text is null ? "" : text.Length <= 32 ? text : text[..32];

    private protected static ProtocolException Unexpected(WireMessage message, string expected) =>
        new(ProtocolErrorCode.ProtocolError, $"unexpected '{WireTypes.Of(message)}', expected {expected}");

    private ProtocolOutput ReceiveChat(WireMessage message)
    {
        var chat = Chat!;
        var output = new ProtocolOutput();
        switch (message)
        {
            case ChatMessage msg when !_peerReceiptReceived:
                return output.With(chat.Open(msg));
            case ReceiptMessage receipt when !_peerReceiptReceived:
                chat.VerifyPeerReceipt(receipt);
                _peerReceiptReceived = true;
                output.With(new ReceiptReceived(receipt));
                if (!_receiptSent)
                {
                    AddOwnReceipt(output);
                }

                IsClosed = true;
                return output.With(new SessionEnded());
            default:
                throw Unexpected(message, _peerReceiptReceived ? "nothing after the receipt" : "msg or receipt");
        }
    }

    private void AddOwnReceipt(ProtocolOutput output)
    {
        var receipt = RequireChat().CreateReceipt();
        _receiptSent = true;
        output.With(new ReceiptSent(receipt));
        output.Frames.Add(MessageCodec.EncodeFrame(receipt));
    }

    private ChatSession RequireChat() =>
        Chat ?? throw new InvalidOperationException("The session key is not established yet.");
}
