namespace SecureChat.Pki;

/// <summary>Certificates already parsed, with their facts and imported keys, by SHA-256 of their DER: the same
/// certificate arriving again (in another session's hello, or as the author certificate of another relayed copy)
/// is not decoded nor its key imported a second time.</summary>
/// <remarks>
/// <para>The cache keeps only what a certificate's bytes determine; it holds no verdict. Chain, revocation, validity
/// period, role and name are judged by a <see cref="CertificateValidator"/> at each use, so one cache may serve
/// validators with different roots, roles and revocation lists.</para>
/// <para>Callers admit a certificate only after its chain to their trusted root verified, so a peer cannot fill the
/// cache with certificates of its own making. Equal hashes mean equal DER, and only a certificate whose DER is exactly
/// the bytes it was loaded from is admitted, so a hit stands for exactly what a strict parse of those bytes gives.</para>
/// <para>Bounded: when full, the oldest entry is dropped. Dropped entries are not disposed, because sessions that
/// took them may still verify with them; their finalizers free the native handles once the last user is gone.</para>
/// <para>Thread-safe; one instance serves a whole process.</para>
/// </remarks>
public sealed class CertificateCache
{
    /// <summary>The default number of certificates kept.</summary>
    public const int DefaultCapacity = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ParsedCertificate> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _admissionOrder = new();

    /// <summary>Creates an empty cache of at most <paramref name="capacity"/> certificates.</summary>
    public CertificateCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The largest number of certificates kept.</summary>
    public int Capacity { get; }

    /// <summary>How many certificates are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The shared certificate whose DER hashes to <paramref name="derSha256Hex"/>, if kept.</summary>
    public bool TryGet(string derSha256Hex, out ParsedCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(derSha256Hex);
        lock (_lock)
        {
            return _entries.TryGetValue(derSha256Hex, out certificate!);
        }
    }

    /// <summary>Shares <paramref name="candidate"/>, whose chain to a trusted root the caller has verified, and returns
    /// the instance to use from now on: the candidate itself, or the one already kept for the same DER (the candidate
    /// is then disposed). A candidate whose DER is not exactly what it was loaded from is not admitted and comes back
    /// unchanged, still owned by the caller.</summary>
    public ParsedCertificate Admit(ParsedCertificate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.IsShared || !candidate.MatchesSourceDer)
        {
            return candidate;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(candidate.DerSha256Hex, out var kept))
            {
                candidate.Dispose();
                return kept;
            }

            while (_entries.Count >= Capacity && _admissionOrder.TryDequeue(out var oldest))
            {
                // Not disposed: see the remarks.
                _entries.Remove(oldest);
            }

            candidate.MarkShared();
            _entries.Add(candidate.DerSha256Hex, candidate);
            _admissionOrder.Enqueue(candidate.DerSha256Hex);
            return candidate;
        }
    }
}
