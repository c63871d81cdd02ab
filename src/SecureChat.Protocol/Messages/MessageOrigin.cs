namespace SecureChat.Protocol.Messages;

/// <summary>The <c>origin</c> member of a relayed copy (§9.6): the author's <c>msg</c> as the author sent it in the
/// author's own session, its exact plaintext bytes and the author's certificate. Every member is optional in the
/// JSON sense so that a missing one is reported as <c>BAD_ORIGIN</c>, not as a malformed plaintext.</summary>
public sealed record MessageOrigin
{
    /// <summary>The author's session id, 32 lowercase hex digits.</summary>
    public string? SessionId { get; init; }

    /// <summary>The seqno of the author's message in the author's session (c2s).</summary>
    public long? Seqno { get; init; }

    /// <summary>The <c>ts</c> of the author's message.</summary>
    public long? Ts { get; init; }

    /// <summary>The author's <c>ct</c>, exactly as sent.</summary>
    public string? Ct { get; init; }

    /// <summary>The author's <c>commit</c>, exactly as sent.</summary>
    public string? Commit { get; init; }

    /// <summary>The author's <c>sig</c>, exactly as sent.</summary>
    public string? Sig { get; init; }

    /// <summary>Base64 of the author's exact plaintext bytes.</summary>
    public string? Plaintext { get; init; }

    /// <summary>Base64 of the DER of the author's certificate.</summary>
    public string? Cert { get; init; }
}
