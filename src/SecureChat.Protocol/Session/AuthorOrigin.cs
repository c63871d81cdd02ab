using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>Author-signed relay (protocol §9.6–§9.7), the sending half: what a relaying server copies from the author's
/// message into every relayed copy, and when it must refuse to relay instead.</summary>
public static class AuthorOrigin
{
    /// <summary>The shared room; a message without <c>to</c> is addressed to it.</summary>
    public const string DefaultRoom = Conversations.DefaultRoom;

    /// <summary>The largest author plaintext, in bytes, that a server can always relay with its origin (§9.6.4).</summary>
    public const int MaxRelayablePlaintextBytes = 4096;

    /// <summary>The largest author certificate, in DER bytes, that a server relays inline (§9.6.4).</summary>
    public const int MaxCertificateBytes = 4096;

    /// <summary>Refusal code: the message is too large to relay with its origin.</summary>
    public const string TooLarge = "TOO_LARGE";

    /// <summary>Refusal code: <c>to</c> names no room this server has, or is neither a room nor a person.</summary>
    public const string UnknownRoom = "UNKNOWN_ROOM";

    /// <summary>Refusal code: the server is saturated and did not relay this one message; the session goes on.</summary>
    public const string ServerBusy = "SERVER_BUSY";

    /// <summary>The conversation a plaintext is addressed to: its <c>to</c>, or the shared room when absent.</summary>
    public static string ConversationOf(ChatPlaintext plaintext) => Conversations.Of(plaintext);

    /// <summary>The <c>origin</c> of a message the author sent in session <paramref name="sessionId"/>: its envelope
    /// exactly as received, its exact plaintext bytes and the author's certificate.</summary>
    public static MessageOrigin Build(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> authorCertificateDer, MessageReceived received)
    {
        ArgumentNullException.ThrowIfNull(received);
        if (received.Direction != Direction.ClientToServer)
        {
            throw new ArgumentException("Only a message a client sent to the server has an author origin.", nameof(received));
        }

        return new MessageOrigin
        {
            SessionId = WireBytes.ToHex(sessionId),
            Seqno = received.Message.Seqno,
            Ts = received.Message.Ts,
            Ct = received.Message.Ct,
            Commit = received.Message.Commit,
            Sig = received.Message.Sig,
            Plaintext = Convert.ToBase64String(received.Plaintext),
            Cert = Convert.ToBase64String(authorCertificateDer),
        };
    }

    /// <summary>Decides how a server relays a message it accepted from <paramref name="from"/>: the copy to send to
    /// every other member of the conversation, or the <c>refused</c> notice to send back to the author instead. Only
    /// the message itself is judged here (size, a well-formed <c>to</c>); whether the room exists and the author is in
    /// it, or the person has an account, is the server's to decide (§9.8.3).</summary>
    public static RelayPlan PlanRelay(ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> authorCertificateDer, MessageReceived received, string from)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(from);
        var seqno = received.Message.Seqno;
        if (received.Plaintext.Length > MaxRelayablePlaintextBytes || authorCertificateDer.Length > MaxCertificateBytes)
        {
            return RelayPlan.Refuse(Refusal(TooLarge, seqno,
                $"message {seqno} was not relayed: its plaintext ({received.Plaintext.Length} bytes) or certificate is larger than {MaxRelayablePlaintextBytes} bytes"));
        }

        var to = ConversationOf(received.Content);
        if (!Conversations.IsRoom(to) && !Conversations.IsPerson(to))
        {
            return RelayPlan.Refuse(Refusal(UnknownRoom, seqno, $"message {seqno} was not relayed: there is no conversation by that name"));
        }

        var origin = Build(sessionId, authorCertificateDer, received);
        return new RelayPlan(new OutgoingChat(received.Content.Text, from, ChatPlaintext.ChatKind, received.Message.Ts, To: to, Origin: origin), null);
    }

    /// <summary>A <c>refused</c> notice (§9.7): the message numbered <paramref name="seqno"/> in the recipient's own
    /// direction was not delivered, for the reason <paramref name="code"/>.</summary>
    public static OutgoingChat Refusal(string code, long seqno, string text) =>
        new(text, Kind: ChatPlaintext.SystemKind, Presence: PresenceEvent.Refused, Code: code, Ref: seqno);
}

/// <summary>What a server does with one accepted message: relay <paramref name="Copy"/> to the others, or send
/// <paramref name="Refusal"/> back to its author.</summary>
/// <param name="Copy">The relayed copy, or null when refused.</param>
/// <param name="Refusal">The <c>refused</c> notice for the author, or null when relayed.</param>
public sealed record RelayPlan(OutgoingChat? Copy, OutgoingChat? Refusal)
{
    /// <summary>A plan that refuses.</summary>
    public static RelayPlan Refuse(OutgoingChat refusal) => new(null, refusal);
}
