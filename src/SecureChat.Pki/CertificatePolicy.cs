using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Pki;

/// <summary>What a peer certificate must satisfy: the only trusted root, the role, the name and the revocations.</summary>
public sealed class CertificatePolicy
{
    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The Root CA certificate, the one and only trust anchor.</summary>
    public required X509Certificate2 Root { get; init; }

    /// <summary>The role the peer must hold.</summary>
    public required ExpectedPeer Peer { get; init; }

    /// <summary>The DNS name or CN the peer must carry; <see langword="null"/> when the name is checked elsewhere
    /// (per-user mode checks the e-mail after login).</summary>
    public string? ExpectedName { get; init; }

    /// <summary>Revoked serial numbers as uppercase hex without separators; leading zeros are not significant.</summary>
    public IReadOnlySet<string> RevokedSerials { get; init; } = EmptySet;

    /// <summary>Where parsed certificates and their imported keys are shared between sessions, or
    /// <see langword="null"/> to parse every certificate afresh. It holds no verdict: every check above still runs at
    /// every use.</summary>
    public CertificateCache? Cache { get; init; }
}
