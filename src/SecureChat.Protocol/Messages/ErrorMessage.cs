namespace SecureChat.Protocol.Messages;

/// <summary>A fatal error; the sender closes after it (docs/PROTOCOL.md §4.7).</summary>
public sealed record ErrorMessage : WireMessage
{
    /// <summary>One of the §4.7 codes, e.g. <c>SIG_FAIL</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Human-readable text without secrets.</summary>
    public required string Message { get; init; }
}
