namespace SecureChat.Server;

/// <summary>Every log event of the server, with its id, in one place. None carries a secret: no password, key,
/// plaintext or ciphertext.</summary>
/// <remarks>One placeholder vocabulary: <c>{ConnectionId}</c> is the transport's connection id, <c>{Remote}</c> always
/// the peer's address and port as text (<c>unknown</c> when the transport has none), <c>{Username}</c> the logged-in
/// user (empty before login), <c>{SessionId}</c> the session id in lowercase hex, <c>{Code}</c> a wire error code.</remarks>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "{ConnectionId} accepted from {Remote}")]
    public static partial void Accepted(ILogger logger, string connectionId, string remote);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{ConnectionId} session {SessionId} established for {Username}")]
    public static partial void Established(ILogger logger, string connectionId, string username, string sessionId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{ConnectionId} {Operation} from {Remote}: {Outcome}")]
    public static partial void AuthOutcome(ILogger logger, string connectionId, string operation, string outcome, string remote);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{ConnectionId} too many failed auth attempts from {Remote}; closed")]
    public static partial void AuthFailed(ILogger logger, string connectionId, string remote);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{ConnectionId} handshake timeout from {Remote}")]
    public static partial void HandshakeTimeout(ILogger logger, string connectionId, string remote);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) protocol error {Code}: {Reason}")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string username, string code, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) the client reported {Code}: {Reason}")]
    public static partial void PeerError(ILogger logger, string connectionId, string username, string code, string reason);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) send queue overflow; disconnecting the slow reader")]
    public static partial void Overflow(ILogger logger, string connectionId, string username);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) idle timeout")]
    public static partial void Idle(ILogger logger, string connectionId, string username);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) ended without the client's receipt")]
    public static partial void NoPeerReceipt(ILogger logger, string connectionId, string username);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) receipts exchanged")]
    public static partial void ReceiptsExchanged(ILogger logger, string connectionId, string username);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) peer closed the connection")]
    public static partial void PeerClosed(ILogger logger, string connectionId, string username);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) connection lost ({Error})")]
    public static partial void ConnectionLost(ILogger logger, string connectionId, string username, string error);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Debug, Message = "{ConnectionId} ({Username}) closed after {Received} received, {Sent} sent")]
    public static partial void Closed(ILogger logger, string connectionId, string username, long received, long sent);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) the transcript could not be written ({Error}); the session was ended with INTERNAL")]
    public static partial void EvidenceFailed(ILogger logger, string connectionId, string username, string error);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) a message from {From} is too large to relay once re-encoded; skipped")]
    public static partial void RelayTooLarge(ILogger logger, string connectionId, string username, string from);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) message {Seqno} not relayed: {Code}")]
    public static partial void RelayRefused(ILogger logger, string connectionId, string username, long seqno, string code);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "shutdown: {WithReceipts} sessions ended with receipts, {Otherwise} otherwise")]
    public static partial void ShutdownEnded(ILogger logger, int withReceipts, int otherwise);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "{ConnectionId} refused from {Remote}: the server is at its connection limit or stopping")]
    public static partial void Refused(ILogger logger, string connectionId, string remote);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Warning, Message = "delivery of {Count} stored messages to {Username} could not be recorded ({Error}); they stay pending")]
    public static partial void DeliveryNotRecorded(ILogger logger, string username, int count, string error);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "({Username}) the conversation store is unavailable ({Error}); {What}")]
    public static partial void StoreUnavailable(ILogger logger, string username, string error, string what);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Warning, Message = "stored message {Id} does not decode; skipped")]
    public static partial void StoredMessageUnreadable(ILogger logger, long id);

    [LoggerMessage(EventId = 1043, Level = LogLevel.Information, Message = "({Username}) {Op} {Target}: {Outcome}")]
    public static partial void Command(ILogger logger, string username, string op, string target, string outcome);

    [LoggerMessage(EventId = 1044, Level = LogLevel.Information, Message = "{Count} stored messages older than {Days} days purged")]
    public static partial void Purged(ILogger logger, int count, double days);

    [LoggerMessage(EventId = 1045, Level = LogLevel.Warning, Message = "{Count} #lobby messages were relayed but not kept for history ({Error})")]
    public static partial void LobbyHistoryDropped(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning, Message = "message {Id} to {To} was not published to the other nodes ({Error}); they catch up from the record")]
    public static partial void BusPublishFailed(ILogger logger, string to, long id, string error);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Warning, Message = "refused message {Id} to {To} announced by node {Node}: {Reason}")]
    public static partial void BusMessageRefused(ILogger logger, string node, string to, long id, string reason);

    [LoggerMessage(EventId = 1052, Level = LogLevel.Information, Message = "the bus is back: {Count} sessions catch up from the record")]
    public static partial void BusCatchUp(ILogger logger, int count);

    [LoggerMessage(EventId = 1053, Level = LogLevel.Warning, Message = "the bus ({Endpoint}) is unreachable ({Error}); this node serves its own sessions meanwhile")]
    public static partial void BusDown(ILogger logger, string endpoint, string error);
}
