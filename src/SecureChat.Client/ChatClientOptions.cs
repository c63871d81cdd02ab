using SecureChat.Pki;
using SecureChat.Protocol;

namespace SecureChat.Client;

/// <summary>What a client needs to connect: its identity, how to check the server, and where to keep evidence.</summary>
public sealed class ChatClientOptions
{
    /// <summary>Shared by every connection of this process that brings no cache of its own: a client reconnects to
    /// the same server and sees the same few authors, so their certificates are parsed and their keys imported once.
    /// It holds no verdict (every session still checks each certificate), and it is bounded.</summary>
    private static readonly CertificateCache ProcessCertificateCache = new();

    private CertificateValidator? _cachingServerValidator;

    /// <summary>The client certificate and key.</summary>
    public required LocalIdentity Identity { get; init; }

    /// <summary>Checks the server certificate (root, expected name, revocations); a <see cref="CertificatePolicy.Cache"/>
    /// in its policy is used, otherwise the process-wide one.</summary>
    public required CertificateValidator ServerValidator { get; init; }

    /// <summary>Protocol settings (clock, skew, group).</summary>
    public ProtocolSettings Settings { get; init; } = new();

    /// <summary>Folder for this client's transcripts; null keeps none (tests only).</summary>
    public string? TranscriptDirectory { get; init; }

    /// <summary>How long to wait for the server's answers during the handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the server's receipt when ending.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><see cref="ServerValidator"/> with a certificate cache, made once per options object so that reconnects
    /// with the same options do not load the Root CA again.</summary>
    internal CertificateValidator CachingServerValidator =>
        LazyInitializer.EnsureInitialized(
            ref _cachingServerValidator,
            () => ServerValidator.Cache is null ? ServerValidator.WithCache(ProcessCertificateCache) : ServerValidator);
}
