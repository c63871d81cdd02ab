namespace SecureChat.Protocol.Transport;

/// <summary>Where a connection is in its life. It only moves forward, and only <see cref="ProtocolConnection"/>
/// moves it.</summary>
public enum ConnectionState
{
    /// <summary>Before k_chat: hello, the two DH exchanges and register/login.</summary>
    Handshake,

    /// <summary>The chat phase: messages and receipts.</summary>
    Open,

    /// <summary>The connection is ending: the host may send nothing more; an error frame may still go out.</summary>
    Closing,

    /// <summary>Ended: nothing is written and nothing is recorded any more.</summary>
    Closed,
}

/// <summary>Why a connection ended.</summary>
public enum EndReason
{
    /// <summary>Both receipts were exchanged and verified.</summary>
    ReceiptsExchanged,

    /// <summary>The peer closed the connection cleanly, between frames, without receipts.</summary>
    PeerClosed,

    /// <summary>This side found a protocol violation and sent the error frame.</summary>
    ProtocolError,

    /// <summary>The peer sent an error frame.</summary>
    PeerError,

    /// <summary>The state machine closed the session itself (too many failed logins: its error frame went out
    /// with its last reply).</summary>
    ClosedByProtocol,

    /// <summary>The handshake did not complete in time; <c>TIMEOUT</c> was sent.</summary>
    HandshakeTimeout,

    /// <summary>The peer sent nothing for too long; <c>TIMEOUT</c> was sent.</summary>
    IdleTimeout,

    /// <summary>The host ended the connection with an error frame of its choice (<see cref="ProtocolConnection.Abort"/>).</summary>
    Aborted,

    /// <summary>The host stopped waiting without an error frame (<see cref="ProtocolConnection.Abandon"/>).</summary>
    Abandoned,

    /// <summary>The connection broke (reset, I/O error) or was closed in the middle of a frame.</summary>
    Lost,

    /// <summary>This side could not write its evidence (disk full, permission, I/O error): <c>INTERNAL</c> was sent and
    /// nothing unrecorded left. The file stays verifiable up to its last whole line.</summary>
    EvidenceFailed,
}

/// <summary>How a connection ended, and in which phase.</summary>
/// <param name="Reason">Why.</param>
/// <param name="Error">The error sent or received, where there was one.</param>
/// <param name="InHandshake">True when it ended before k_chat was established.</param>
/// <param name="Cause">For <see cref="EndReason.Lost"/>: the exception type that showed it (for logs only).</param>
public sealed record ConnectionEnd(EndReason Reason, ProtocolException? Error, bool InHandshake, string? Cause = null)
{
    /// <summary>True when the session ended with both receipts.</summary>
    public bool IsClean => Reason == EndReason.ReceiptsExchanged;
}

/// <summary>Read timeouts a host sets for its connection: the server bounds the handshake and idleness, the client
/// bounds each of its waits instead (a person may take their time to type a password).</summary>
/// <param name="Handshake">From the start until k_chat is established; null for none.</param>
/// <param name="Idle">Longest time between two frames from the peer in the chat phase; null for none.</param>
public sealed record ConnectionTimeouts(TimeSpan? Handshake = null, TimeSpan? Idle = null)
{
    /// <summary>No read timeouts.</summary>
    public static ConnectionTimeouts None { get; } = new();
}

/// <summary>What a host does with what its connection receives.</summary>
public interface IConnectionHandler
{
    /// <summary>Called with the gate held, after the protocol accepted the frames and before their transcript
    /// lines are recorded or any reply is written: open the transcript (set <see cref="ProtocolConnection.Recorder"/>)
    /// and join conversations here, so nothing sent afterwards can overtake the last handshake frame.</summary>
    void OnAccepted(ReceivedBatch batch);

    /// <summary>Called without the gate, after the lines are durable and the replies written: deliver messages,
    /// decide register/login. A local error in the batch is reported to the peer only after this returns.</summary>
    ValueTask OnReceivedAsync(ReceivedBatch batch, CancellationToken cancellationToken);
}

/// <summary>Records what a protocol step did, durably, before any frame of it is sent or any message acted on.</summary>
public interface IEvidenceRecorder
{
    /// <summary>Writes the evidence of the given steps, in order, and makes it durable.</summary>
    void Record(IReadOnlyList<ProtocolOutput> steps);
}
