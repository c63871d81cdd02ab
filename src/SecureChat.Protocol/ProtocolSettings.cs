using SecureChat.Crypto;

namespace SecureChat.Protocol;

/// <summary>Tunables and injected dependencies of a protocol endpoint (defaults per protocol §5).</summary>
public sealed record ProtocolSettings
{
    /// <summary>Clock used for <c>ts</c>, staleness checks and certificate validity.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Randomness for nonces, DH exponents and commitment randomness.</summary>
    public IEntropySource Entropy { get; init; } = IEntropySource.System;

    /// <summary>Largest accepted |ts − now| of a chat message.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted UTF-8 size of a message's <c>text</c>.</summary>
    public int MaxTextBytes { get; init; } = 16 * 1024;

    /// <summary>Largest encoded plaintext a client sends (MAX_RELAYABLE, §9.6.4); raised only by tests that play a peer
    /// without the limit.</summary>
    public int MaxRelayablePlaintextBytes { get; init; } = Session.AuthorOrigin.MaxRelayablePlaintextBytes;

    /// <summary>The group a client offers.</summary>
    public DhGroup PreferredGroup { get; init; } = DhGroup.Ffdhe2048;

    /// <summary>The groups a server accepts.</summary>
    public IReadOnlyList<DhGroup> AcceptedGroups { get; init; } = [DhGroup.Ffdhe2048, DhGroup.Ffdhe3072];

    /// <summary>Failed auth requests after which the server sends <c>AUTH_FAILED</c> and closes.</summary>
    public int MaxFailedAuthAttempts { get; init; } = 3;

    /// <summary>Current Unix time in milliseconds.</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
