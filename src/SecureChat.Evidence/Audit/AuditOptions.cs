namespace SecureChat.Evidence.Audit;

/// <summary>How strictly <see cref="TranscriptAuditor"/> judges the certificates, and how it spreads the work.</summary>
public sealed record AuditOptions
{
    /// <summary>The server name protocol §6 expects by default.</summary>
    public const string DefaultServerName = "server.local";

    private static readonly IReadOnlySet<string> NoSerials = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Options with the defaults below.</summary>
    public static AuditOptions Default { get; } = new();

    /// <summary>The DNS name or CN the server certificate must carry; <see langword="null"/> skips the check.</summary>
    public string? ExpectedServerName { get; init; } = DefaultServerName;

    /// <summary>The DNS name or CN the client certificate must carry; <see langword="null"/> (the default) skips the
    /// check, because per-user certificates carry an e-mail address instead of a fixed name.</summary>
    public string? ExpectedClientName { get; init; }

    /// <summary>In per-user mode, the e-mail address the client certificate's CN or rfc822Name must equal.</summary>
    public string? ExpectedClientEmail { get; init; }

    /// <summary>Revoked serial numbers (hex); a certificate listed here fails the audit.</summary>
    public IReadOnlySet<string> RevokedSerials { get; init; } = NoSerials;

    /// <summary>Number of lines after the header from which they are parsed and verified on several cores.</summary>
    public int ParallelThreshold { get; init; } = 64;

    /// <summary>Upper bound on verification workers; -1 uses every core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Longest line accepted, in bytes; a longer one is malformed (the file is attacker-controlled input).</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;
}
