namespace SecureChat.Crypto;

/// <summary>One implementation of the finite-field DH arithmetic behind <see cref="DhKeyPair"/>.</summary>
/// <remarks>Backends only do arithmetic and the subgroup check. The length and range checks, the exponent's shape
/// (x = 2^256 + r) and the refusal of Z = 1 live in <see cref="DhKeyPair"/>, so every backend gets them alike.</remarks>
internal interface IDhBackend
{
    /// <summary>The name <see cref="DhBackends.EnvironmentVariable"/> uses for this backend.</summary>
    string Name { get; }

    /// <summary>Imports the private exponent x (big-endian, <see cref="DhKeyPair.PrivateExponentBytes"/> + 1 bytes)
    /// and computes its public value. The caller clears <paramref name="exponent"/> afterwards.</summary>
    IDhPrivateKey CreateKey(DhGroup group, ReadOnlySpan<byte> exponent);
}

/// <summary>A private exponent held by a backend.</summary>
internal interface IDhPrivateKey : IDisposable
{
    /// <summary>Y = g^x mod p, big-endian, exactly the modulus length.</summary>
    byte[] PublicValue { get; }

    /// <summary>Writes peer^x mod p to <paramref name="sharedSecret"/> (modulus length, big-endian).</summary>
    /// <param name="peerPublicValue">Already checked by the caller: modulus length and 1 &lt; Y &lt; p−1.</param>
    /// <returns><see langword="false"/> if the peer value is outside the prime-order subgroup (for the safe primes of
    /// RFC 7919: not a quadratic residue mod p); <paramref name="sharedSecret"/> is then left untouched.</returns>
    bool TryAgree(ReadOnlySpan<byte> peerPublicValue, Span<byte> sharedSecret);
}

/// <summary>Chooses the DH backend once per process.</summary>
internal static class DhBackends
{
    /// <summary>Forces a backend: <c>bouncycastle</c> or <c>openssl</c>; unset, empty or <c>auto</c> picks OpenSSL when
    /// it loads and passes its self-test, BouncyCastle otherwise.</summary>
    public const string EnvironmentVariable = "SECURECHAT_DH_BACKEND";

    private static readonly Lazy<IDhBackend> LazyDefault = new(() => Select(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    /// <summary>The backend every <see cref="DhKeyPair"/> uses unless a test or benchmark passes its own.</summary>
    public static IDhBackend Default => LazyDefault.Value;

    /// <summary>The backend for a value of <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">An unknown value, or <c>openssl</c> forced where it cannot be used:
    /// a forced choice that silently fell back would hide the misconfiguration it was meant to rule out.</exception>
    public static IDhBackend Select(string? setting)
    {
        switch (setting?.Trim().ToUpperInvariant())
        {
            case null or "" or "AUTO":
                return OpenSslDh.Instance ?? (IDhBackend)BouncyCastleDh.Instance;
            case "BOUNCYCASTLE":
                return BouncyCastleDh.Instance;
            case "OPENSSL":
                return OpenSslDh.Instance ?? throw new InvalidOperationException(
                    $"{EnvironmentVariable}=openssl, but the OpenSSL DH backend is unavailable: {OpenSslDh.UnavailableReason}");
            default:
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} must be 'bouncycastle', 'openssl' or 'auto', not '{setting}'.");
        }
    }
}
