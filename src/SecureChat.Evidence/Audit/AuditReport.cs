using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureChat.Evidence.Audit;

/// <summary>The outcome of auditing one transcript file (docs/PROTOCOL.md §4.8).</summary>
/// <remarks><see cref="Side"/>, <see cref="Username"/> and <see cref="StartedMs"/> are the header's claims: no
/// signature covers them. Everything counted as verified was checked against the Root CA.</remarks>
public sealed class AuditReport
{
    /// <summary>True when every complete line passed every check; a torn last line does not prevent it.</summary>
    public required bool Accepted { get; init; }

    /// <summary>True when the file is accepted and authentic client and server receipts both cover every message in it.</summary>
    public required bool Complete { get; init; }

    /// <summary>True when the last line is torn (no terminating newline) and was left out of the audit.</summary>
    public required bool Truncated { get; init; }

    /// <summary>Complete lines in the file (header included).</summary>
    public required int LinesRead { get; init; }

    /// <summary><c>client</c> or <c>server</c>, as the header claims; <see langword="null"/> without a readable header.</summary>
    public string? Side { get; init; }

    /// <summary>The session id (lowercase hex) from the header; equal to TH2[:16] when the handshake verified.</summary>
    public string? SessionId { get; init; }

    /// <summary>The username the header claims.</summary>
    public string? Username { get; init; }

    /// <summary>The session start the header claims, Unix ms; certificates were judged at this time.</summary>
    public long? StartedMs { get; init; }

    /// <summary>Subject of the client certificate, once it parsed.</summary>
    public string? ClientCertificateSubject { get; init; }

    /// <summary>Subject of the server certificate, once it parsed.</summary>
    public string? ServerCertificateSubject { get; init; }

    /// <summary>Message lines that passed every check.</summary>
    public required int MessagesVerified { get; init; }

    /// <summary>Verified messages whose kept plaintext opened their commitment.</summary>
    public required int PlaintextsVerified { get; init; }

    /// <summary>Receipt lines that passed every check.</summary>
    public required int ReceiptsVerified { get; init; }

    /// <summary>Verified client→server messages (the last c2s seqno).</summary>
    public required long ClientToServerMessages { get; init; }

    /// <summary>Verified server→client messages (the last s2c seqno).</summary>
    public required long ServerToClientMessages { get; init; }

    /// <summary>What the verified client receipt covers, if there is one.</summary>
    public ReceiptCoverage? ClientReceipt { get; init; }

    /// <summary>What the verified server receipt covers, if there is one.</summary>
    public ReceiptCoverage? ServerReceipt { get; init; }

    /// <summary>Every message line that verified, in file order, with who wrote each relayed copy and what proves it.</summary>
    public IReadOnlyList<AuditedMessage> Messages { get; init; } = [];

    /// <summary>The first error (lowest line number) followed by warnings; empty for a complete, accepted file.</summary>
    public required IReadOnlyList<AuditFinding> Findings { get; init; }

    /// <summary>The error that rejected the file, or <see langword="null"/> when it is accepted.</summary>
    public AuditFinding? FirstFailure { get; init; }

    /// <summary>Whether message signatures were checked by several workers (not part of the JSON form).</summary>
    [JsonIgnore]
    internal bool VerifiedInParallel { get; init; }

    /// <summary>The report as one line of snake_case JSON, for <c>securechat verify --json</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, AuditJsonContext.Default.AuditReport);
}

/// <summary>The counts an authentic receipt attests.</summary>
/// <param name="C2sLastSeq">Client→server messages covered.</param>
/// <param name="S2cLastSeq">Server→client messages covered.</param>
/// <param name="LineNumber">The receipt's line.</param>
public sealed record ReceiptCoverage(long C2sLastSeq, long S2cLastSeq, int LineNumber);

/// <summary>Writes enum values as snake_case strings (<c>bad_message_signature</c>).</summary>
internal sealed class SnakeCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    // Numbers are refused so that the JSON form stays self-describing.
    public SnakeCaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    {
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AuditReport))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
