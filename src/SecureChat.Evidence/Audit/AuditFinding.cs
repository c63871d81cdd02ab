using System.Text.Json.Serialization;

namespace SecureChat.Evidence.Audit;

/// <summary>What an auditor found wrong or noteworthy about a transcript file (docs/PROTOCOL.md §4.8).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AuditFindingKind>))]
public enum AuditFindingKind
{
    /// <summary>A line is not a well-formed transcript record, or a field of it is not canonically encoded.</summary>
    MalformedLine,

    /// <summary>The first line is not a version 1 header, or a header field is malformed.</summary>
    BadHeader,

    /// <summary>A certificate does not parse, does not chain to the Root CA, or was not valid at <c>started_ms</c>.</summary>
    CertificateInvalid,

    /// <summary>The handshake frames are malformed, out of order, disagree with the header or carry a bad DH signature.</summary>
    HandshakeInvalid,

    /// <summary>The header's session id is not TH2[:16], or a receipt names another session.</summary>
    SessionIdMismatch,

    /// <summary>A message signature does not verify with its sender's certificate.</summary>
    BadMessageSignature,

    /// <summary>A message skips one or more seqnos of its direction (a line was deleted or moved).</summary>
    SequenceGap,

    /// <summary>A message repeats or goes back to an earlier seqno of its direction (a line was copied or moved).</summary>
    SequenceRepeat,

    /// <summary>A kept plaintext does not open its message's commitment.</summary>
    CommitMismatch,

    /// <summary>A receipt is malformed or its signature does not verify with its issuer's certificate.</summary>
    BadReceipt,

    /// <summary>An authentic receipt attests other messages than the ones in the file.</summary>
    ReceiptHashMismatch,

    /// <summary>An authentic receipt covers messages that are not in the file before it (lines were removed).</summary>
    ReceiptBeyondTranscript,

    /// <summary>The last line has no terminating newline: its write never completed.</summary>
    TruncatedLine,

    /// <summary>A header appears after the first line.</summary>
    DuplicateHeader,

    /// <summary>A second receipt from the same issuer.</summary>
    DuplicateReceipt,

    /// <summary>A message follows its own sender's receipt, which no honest sender does.</summary>
    MessageAfterReceipt,

    /// <summary>A relayed copy names an author whose own evidence (<c>origin</c>, protocol §9.6) is missing or does not prove it.</summary>
    BadOrigin,

    /// <summary>The file verifies but does not prove a complete conversation (a receipt is missing or covers less).</summary>
    Incomplete,
}

/// <summary>How much a finding matters.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AuditSeverity>))]
public enum AuditSeverity
{
    /// <summary>The file is rejected.</summary>
    Error,

    /// <summary>The file is accepted, but something limits what it proves.</summary>
    Warning,
}

/// <summary>One finding of an audit.</summary>
/// <param name="LineNumber">1-based line the finding is about; 0 when it concerns the file as a whole.</param>
/// <param name="Kind">What was found.</param>
/// <param name="Severity">Whether it rejects the file.</param>
/// <param name="Reason">One sentence for a human; never contains secrets.</param>
public sealed record AuditFinding(int LineNumber, AuditFindingKind Kind, AuditSeverity Severity, string Reason)
{
    /// <summary>An error at <paramref name="lineNumber"/>.</summary>
    public static AuditFinding Error(int lineNumber, AuditFindingKind kind, string reason) =>
        new(lineNumber, kind, AuditSeverity.Error, reason);

    /// <summary>A warning at <paramref name="lineNumber"/>.</summary>
    public static AuditFinding Warning(int lineNumber, AuditFindingKind kind, string reason) =>
        new(lineNumber, kind, AuditSeverity.Warning, reason);
}
