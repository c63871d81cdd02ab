using System.Security.Cryptography.X509Certificates;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol;

/// <summary>What one step of a state machine produced: frames to send, in order, and events for the host.</summary>
public sealed class ProtocolOutput
{
    /// <summary>Whole frames (length prefix included) to write to the peer, in order.</summary>
    public List<byte[]> Frames { get; } = [];

    /// <summary>What happened, in order.</summary>
    public List<ProtocolEvent> Events { get; } = [];

    /// <summary>k_chat was established by this step.</summary>
    public SessionEstablished? Established => Find<SessionEstablished>();

    /// <summary>Server: the register/login request that awaits the host's decision.</summary>
    public AuthRequestPlaintext? AuthRequest => Find<AuthRequestReceived>()?.Request;

    /// <summary>Client: the server's answer to a register/login request.</summary>
    public AuthResponsePlaintext? AuthResponse => Find<AuthResponseReceived>()?.Response;

    /// <summary>Client: k_auth is established and credentials may be sent.</summary>
    public bool IsReadyForCredentials => Find<ReadyForCredentials>() is not null;

    /// <summary>The messages that passed every check, in order.</summary>
    public IEnumerable<MessageReceived> Received => Events.OfType<MessageReceived>();

    /// <summary>Both receipts were exchanged: the session is over.</summary>
    public bool Ended => Find<SessionEnded>() is not null;

    /// <summary>The message the host asked to send was refused (nothing to send, no seqno used).</summary>
    public MessageRefused? Refused => Find<MessageRefused>();

    /// <summary>Adds an event and returns this output.</summary>
    public ProtocolOutput With(ProtocolEvent protocolEvent)
    {
        Events.Add(protocolEvent);
        return this;
    }

    private T? Find<T>()
        where T : ProtocolEvent
    {
        foreach (var e in Events)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>What a batch of frames produced: the outputs of the accepted ones, in order, and the error of the first
/// refused one, if any.</summary>
public sealed record ReceivedBatch(IReadOnlyList<ProtocolOutput> Outputs, ProtocolException? Failure)
{
    /// <summary>Every frame to send back, in order.</summary>
    public IEnumerable<byte[]> Frames => Outputs.SelectMany(o => o.Frames);

    /// <summary>Every event, in order.</summary>
    public IEnumerable<ProtocolEvent> Events => Outputs.SelectMany(o => o.Events);

    /// <summary>The messages that passed every check, in order.</summary>
    public IEnumerable<MessageReceived> Received => Outputs.SelectMany(o => o.Received);

    /// <summary>k_chat was established by one of these frames.</summary>
    public SessionEstablished? Established => Outputs.Select(o => o.Established).FirstOrDefault(e => e is not null);

    /// <summary>Both receipts were exchanged: the session is over.</summary>
    public bool Ended => Outputs.Any(o => o.Ended);
}

/// <summary>Something a state machine tells its host.</summary>
public abstract record ProtocolEvent;

/// <summary>The peer's certificate passed the checks of §6.</summary>
public sealed record PeerCertificateAccepted(X509Certificate2 Certificate) : ProtocolEvent;

/// <summary>Client: k_auth is established and the server proved its key; credentials may be sent now.</summary>
public sealed record ReadyForCredentials : ProtocolEvent;

/// <summary>Server: a decrypted register/login request awaits the host's decision (<c>CompleteAuth</c>).</summary>
public sealed record AuthRequestReceived(AuthRequestPlaintext Request) : ProtocolEvent;

/// <summary>Client: the server answered a register/login request.</summary>
public sealed record AuthResponseReceived(AuthResponsePlaintext Response) : ProtocolEvent;

/// <summary>k_chat is established; chat messages may flow.</summary>
public sealed record SessionEstablished(byte[] SessionId) : ProtocolEvent;

/// <summary>A message was sealed and is about to be sent (log it first).</summary>
public sealed record MessageSent(Direction Direction, ChatMessage Message, byte[] Plaintext) : ProtocolEvent;

/// <summary>A message passed every check of §9.4 (log it, then deliver it).</summary>
/// <param name="Direction">The direction of travel.</param>
/// <param name="Message">The envelope as received.</param>
/// <param name="Plaintext">The exact plaintext bytes.</param>
/// <param name="Content">The decoded plaintext.</param>
/// <param name="Origin">Client: for a relayed copy, what its verified origin proves (§9.6); null otherwise.</param>
public sealed record MessageReceived(Direction Direction, ChatMessage Message, byte[] Plaintext, ChatPlaintext Content,
    Session.AuthorProof? Origin = null) : ProtocolEvent;

/// <summary>A message the host asked to send was refused; the session goes on.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Message">A sentence for the user.</param>
public sealed record MessageRefused(SendRefusal Reason, string Message) : ProtocolEvent;

/// <summary>What <c>ChatSession.Seal</c> made: the sealed message, or why it refused.</summary>
/// <param name="Sent">The sealed message, or null when refused.</param>
/// <param name="Refusal">Why it was refused, or <see cref="SendRefusal.None"/>.</param>
/// <param name="Reason">A sentence for the user when refused.</param>
public readonly record struct SealResult(MessageSent? Sent, SendRefusal Refusal, string? Reason)
{
    /// <summary>A refusal.</summary>
    public static SealResult Refused(SendRefusal refusal, string reason) => new(null, refusal, reason);
}

/// <summary>This side's receipt was made and is about to be sent.</summary>
public sealed record ReceiptSent(ReceiptMessage Receipt) : ProtocolEvent;

/// <summary>The peer's receipt verified against this side's transcript.</summary>
public sealed record ReceiptReceived(ReceiptMessage Receipt) : ProtocolEvent;

/// <summary>Both receipts were exchanged; the connection should close.</summary>
public sealed record SessionEnded : ProtocolEvent;
