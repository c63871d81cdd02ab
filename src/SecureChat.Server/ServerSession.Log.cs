namespace SecureChat.Server;

/// <summary>The session's log lines. None carries a secret: no password, key, plaintext or ciphertext.</summary>
public sealed partial class ServerSession
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "{ConnectionId} accepted from {Remote}")]
    private partial void LogAccepted(string connectionId, string? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} session {SessionId} established for {Username}")]
    private partial void LogEstablished(string connectionId, string username, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} {Operation} from {Remote}: {Outcome}")]
    private partial void LogAuthOutcome(string connectionId, string operation, string outcome, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConnectionId} too many failed auth attempts from {Remote}; closed")]
    private partial void LogAuthFailed(string connectionId, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) protocol error {Code}: {Reason} (reported by peer: {Remote})")]
    private partial void LogProtocolError(string connectionId, string username, string code, string reason, bool remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConnectionId} handshake timeout from {Remote}")]
    private partial void LogHandshakeTimeout(string connectionId, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) send queue overflow; disconnecting the slow reader")]
    private partial void LogOverflow(string connectionId, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) idle timeout")]
    private partial void LogIdle(string connectionId, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) ended without the client's receipt")]
    private partial void LogNoPeerReceipt(string connectionId, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) receipts exchanged")]
    private partial void LogReceiptsExchanged(string connectionId, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} ({Username}) peer closed the connection")]
    private partial void LogPeerClosed(string connectionId, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} connection lost ({Error})")]
    private partial void LogConnectionLost(string connectionId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ConnectionId} ({Username}) a message from {From} is too large to relay once re-encoded; skipped")]
    private partial void LogRelayTooLarge(string connectionId, string username, string? from);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{ConnectionId} ({Username}) closed after {Received} received, {Sent} sent")]
    private partial void LogClosed(string connectionId, string username, long received, long sent);
}
