namespace SecureChat.Protocol;

/// <summary>The error codes of protocol §4.7; each ends the connection.</summary>
public enum ProtocolErrorCode
{
    /// <summary>Malformed frame or message, or a message out of order.</summary>
    ProtocolError,

    /// <summary>A frame length of zero or above the maximum frame size.</summary>
    FrameTooLarge,

    /// <summary>A <c>version</c> other than 1.</summary>
    UnsupportedVersion,

    /// <summary>The peer certificate failed the checks of §6.</summary>
    BadCert,

    /// <summary>A DH group outside the policy, or a public value or shared secret that fails the checks of §2.</summary>
    BadDh,

    /// <summary>A signature that does not verify.</summary>
    SigFail,

    /// <summary>An AEAD tag or a commitment that does not verify.</summary>
    DecryptFail,

    /// <summary>A sequence number at or below the last one seen.</summary>
    Replay,

    /// <summary>A sequence number that skips one or more.</summary>
    SeqGap,

    /// <summary>A timestamp outside the allowed clock skew.</summary>
    Stale,

    /// <summary>Too many failed register/login attempts on one connection.</summary>
    AuthFailed,

    /// <summary>A handshake or idle timeout.</summary>
    Timeout,

    /// <summary>The server is at its connection limit.</summary>
    ServerBusy,

    /// <summary>A peer receipt that does not verify or does not match the local transcript.</summary>
    ReceiptMismatch,

    /// <summary>An internal failure (for example the user database is unavailable).</summary>
    Internal,

    /// <summary>A relayed copy whose author evidence (<c>origin</c>, §9.6) is missing or does not prove its author.</summary>
    BadOrigin,
}

/// <summary>Maps <see cref="ProtocolErrorCode"/> to and from its wire spelling (<c>SIG_FAIL</c>, …).</summary>
public static class ProtocolErrorCodes
{
    private static readonly Dictionary<string, ProtocolErrorCode> ByWireName =
        Enum.GetValues<ProtocolErrorCode>().ToDictionary(ToWire, StringComparer.Ordinal);

    /// <summary>Returns the wire spelling of <paramref name="code"/>.</summary>
    public static string ToWire(this ProtocolErrorCode code) => code switch
    {
        ProtocolErrorCode.ProtocolError => "PROTOCOL_ERROR",
        ProtocolErrorCode.FrameTooLarge => "FRAME_TOO_LARGE",
        ProtocolErrorCode.UnsupportedVersion => "UNSUPPORTED_VERSION",
        ProtocolErrorCode.BadCert => "BAD_CERT",
        ProtocolErrorCode.BadDh => "BAD_DH",
        ProtocolErrorCode.SigFail => "SIG_FAIL",
        ProtocolErrorCode.DecryptFail => "DECRYPT_FAIL",
        ProtocolErrorCode.Replay => "REPLAY",
        ProtocolErrorCode.SeqGap => "SEQ_GAP",
        ProtocolErrorCode.Stale => "STALE",
        ProtocolErrorCode.AuthFailed => "AUTH_FAILED",
        ProtocolErrorCode.Timeout => "TIMEOUT",
        ProtocolErrorCode.ServerBusy => "SERVER_BUSY",
        ProtocolErrorCode.ReceiptMismatch => "RECEIPT_MISMATCH",
        ProtocolErrorCode.Internal => "INTERNAL",
        ProtocolErrorCode.BadOrigin => "BAD_ORIGIN",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    /// <summary>Parses a wire spelling; unknown codes from a peer map to <see cref="ProtocolErrorCode.ProtocolError"/>.</summary>
    public static ProtocolErrorCode FromWire(string? wire) =>
        wire is not null && ByWireName.TryGetValue(wire, out var code) ? code : ProtocolErrorCode.ProtocolError;
}
