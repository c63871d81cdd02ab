using System.Security.Cryptography;
using System.Text;
using SecureChat.Crypto;
using SecureChat.Protocol.Framing;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>The chat phase of one connection (protocol §4.5–§4.6): sealing and opening messages in order,
/// the canonical transcript chains and the receipts.</summary>
public sealed class ChatSession : IDisposable
{
    private readonly ChatKeys _keys;
    private readonly Direction _outbound;
    private readonly SigningKey _signer;
    private readonly VerificationKey _peerKey;
    private readonly byte[] _clientCertDer;
    private readonly byte[] _serverCertDer;
    private readonly ProtocolSettings _settings;
    private readonly OriginVerifier? _origins;

    internal ChatSession(ChatKeys keys, Direction outbound, SigningKey signer, VerificationKey peerKey,
        byte[] clientCertDer, byte[] serverCertDer, ProtocolSettings settings, OriginVerifier? origins = null)
    {
        _origins = origins;
        _keys = keys;
        _outbound = outbound;
        _signer = signer;
        _peerKey = peerKey;
        _clientCertDer = clientCertDer;
        _serverCertDer = serverCertDer;
        _settings = settings;
        Chains = new MessageChains(keys.SessionId);
    }

    /// <summary>The 16-byte session id (TH2[:16]).</summary>
    public ReadOnlySpan<byte> SessionId => _keys.SessionId;

    /// <summary>The two message chains so far (§4.6): what the receipts sign.</summary>
    public MessageChains Chains { get; }

    /// <summary>Seqno of the last message sent.</summary>
    public long LastSent => Chains.Count(_outbound);

    /// <summary>Seqno of the last message received.</summary>
    public long LastReceived => Chains.Count(_outbound.Reverse());

    private Side Self => _outbound == Direction.ClientToServer ? Side.Client : Side.Server;

    /// <summary>Seals the next outbound message, with fresh commitment randomness <c>r</c>, and adds it to the
    /// chain; or refuses it, using no seqno, when it cannot be sent.</summary>
    public SealResult Seal(OutgoingChat content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (Encoding.UTF8.GetByteCount(content.Text) > _settings.MaxTextBytes)
        {
            return SealResult.Refused(SendRefusal.TextTooLong, $"The text exceeds {_settings.MaxTextBytes} bytes.");
        }

        var plaintext = MessageCodec.Encode(new ChatPlaintext
        {
            Text = content.Text,
            R = Convert.ToBase64String(_settings.Entropy.GetBytes(MessageEnvelope.CommitRandomLength)),
            From = content.From,
            Kind = content.Kind,
            Ts = content.OriginalTs,
            Event = content.Presence?.ToWire(),
            Users = content.Users,
            To = content.To,
            Origin = content.Origin,
            Code = content.Code,
            Ref = content.Ref,
            Op = content.Op,
            Limit = content.Limit,
            Mark = content.Mark,
            Rooms = content.Rooms,
            Online = content.Online,
        });
        var message = MessageEnvelope.Seal(_keys.For(_outbound), _keys.SessionId, _outbound, LastSent + 1, _settings.NowMs, plaintext, _signer);

        // JSON escaping and base64 can grow a legal text past the frame limit; refuse it before the seqno is used,
        // or the next message would arrive as SEQ_GAP and the receipt would count a message never sent.
        if (MessageCodec.Encode(message).Length > FrameReader.MaxFrameLength)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return SealResult.Refused(SendRefusal.FrameTooLarge, "The message does not fit in one frame once encrypted and encoded; send a shorter text.");
        }

        // Every client message is relayed with its exact plaintext inside the copy (§9.6.4): refuse one that could not be.
        if (_outbound == Direction.ClientToServer && plaintext.Length > _settings.MaxRelayablePlaintextBytes)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return SealResult.Refused(SendRefusal.TooLargeToRelay,
                $"The message is {plaintext.Length} bytes once encoded; the largest a server can relay is {_settings.MaxRelayablePlaintextBytes}. Send a shorter text.");
        }

        Chains.Append(_outbound, message);
        return new SealResult(new MessageSent(_outbound, message, plaintext), SendRefusal.None, null);
    }

    /// <summary>Runs the receiver's checks of §4.5 in order and, if all pass, adds the message to the chain.</summary>
    /// <exception cref="ProtocolException">REPLAY, SEQ_GAP, STALE, SIG_FAIL, DECRYPT_FAIL, PROTOCOL_ERROR or (client) BAD_ORIGIN.</exception>
    public MessageReceived Open(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var inbound = _outbound.Reverse();
        var last = LastReceived;
        if (message.Seqno <= last)
        {
            throw new ProtocolException(ProtocolErrorCode.Replay, $"seqno {message.Seqno} was already seen (last {last})");
        }

        if (message.Seqno > last + 1)
        {
            throw new ProtocolException(ProtocolErrorCode.SeqGap, $"seqno {message.Seqno} skips from {last}");
        }

        var skew = Math.Abs((decimal)message.Ts - _settings.NowMs);
        if (skew > (decimal)_settings.MaxClockSkew.TotalMilliseconds)
        {
            throw new ProtocolException(ProtocolErrorCode.Stale, $"timestamp is {skew} ms away from now");
        }

        if (!MessageEnvelope.VerifySignature(_peerKey, _keys.SessionId, inbound, message, out var ct, out var commit))
        {
            throw new ProtocolException(ProtocolErrorCode.SigFail, $"signature of message {message.Seqno} does not verify");
        }

        if (!MessageEnvelope.TryOpen(_keys.For(inbound), _keys.SessionId, inbound, message.Seqno, message.Ts, ct, commit, out var plaintext))
        {
            throw new ProtocolException(ProtocolErrorCode.DecryptFail, $"message {message.Seqno} does not decrypt or does not match its commitment");
        }

        var content = MessageCodec.DecodeChat(plaintext);
        ValidateContent(content);

        // Check 8 (§9.6.3): a relayed copy is shown as its author's only if the author's own evidence proves it.
        var proof = _origins is not null && OriginVerifier.IsRelayedCopy(content) ? _origins.Verify(content, message.Ts) : null;
        Chains.Append(inbound, message);
        return new MessageReceived(inbound, message, plaintext, content, proof);
    }

    /// <summary>Makes this side's receipt over everything sent and received so far.</summary>
    public ReceiptMessage CreateReceipt() =>
        Receipts.Create(Self, _keys.SessionId, _clientCertDer, _serverCertDer, Chains, _signer);

    /// <summary>Checks the peer's receipt against this side's chains.</summary>
    /// <exception cref="ProtocolException">RECEIPT_MISMATCH with the reason.</exception>
    public void VerifyPeerReceipt(ReceiptMessage receipt)
    {
        var peer = Self.Other();
        var problem = Receipts.Verify(receipt, peer, _peerKey, _keys.SessionId, _clientCertDer, _serverCertDer, Chains);
        if (problem != ReceiptProblem.None)
        {
            throw new ProtocolException(ProtocolErrorCode.ReceiptMismatch, problem switch
            {
                ReceiptProblem.Malformed => "peer receipt is malformed",
                ReceiptProblem.WrongSession => "peer receipt names another session",
                ReceiptProblem.BadSignature => "peer receipt signature does not verify",
                ReceiptProblem.BeyondTranscript => "peer receipt covers messages this side never saw (possible truncation)",
                _ => "peer receipt hash differs from this side's transcript (possible tampering)",
            });
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _keys.Dispose();
        _peerKey.Dispose();
    }

    private void ValidateContent(ChatPlaintext content)
    {
        if (Encoding.UTF8.GetByteCount(content.Text) > _settings.MaxTextBytes)
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, $"text exceeds {_settings.MaxTextBytes} bytes");
        }

        if (!WireBytes.TryFromCanonicalBase64(content.R, out var r) || r.Length != MessageEnvelope.CommitRandomLength)
        {
            throw new ProtocolException(ProtocolErrorCode.ProtocolError, "'r' must be 16 bytes of base64");
        }

        CryptographicOperations.ZeroMemory(r);
    }
}
