using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Crypto;

/// <summary>A peer's public key, taken from its certificate, that checks protocol signatures.</summary>
/// <remarks>
/// <para>Ownership is explicit: an owning key disposes the RSA or ECDSA object with itself; a borrowed view
/// (<see cref="Borrow"/>) never does, so that one imported key can serve many sessions, each of which disposes its
/// view when it ends without breaking the others.</para>
/// <para><see cref="Verify"/> is safe to call from many threads at once on one key. On Linux the .NET RSAOpenSsl and
/// ECDsaOpenSsl classes keep only an immutable EVP_PKEY (behind a thread-safe <see cref="Lazy{T}"/> and a
/// reference-counted SafeHandle); CryptoNative_RsaVerifyHash and CryptoNative_EcDsaVerifyHash create and free their
/// own EVP_PKEY_CTX for every call, and OpenSSL allows concurrent read-only use of one EVP_PKEY. (That reading is
/// of the OpenSSL implementation, the one the server runs on; a concurrency test exercises it.)</para>
/// </remarks>
public sealed class VerificationKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;
    private readonly bool _ownsKey;

    /// <summary>Wraps an RSA or ECDSA public key. The wrapper takes ownership and disposes it.</summary>
    public VerificationKey(AsymmetricAlgorithm key)
        : this(key, ownsKey: true)
    {
    }

    private VerificationKey(AsymmetricAlgorithm key, bool ownsKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is not (RSA or ECDsa))
        {
            throw new ArgumentException("Only RSA and ECDSA keys verify protocol messages.", nameof(key));
        }

        _key = key;
        _ownsKey = ownsKey;
    }

    /// <summary>Whether disposing this instance disposes the underlying key (false for a borrowed view).</summary>
    public bool OwnsKey => _ownsKey;

    /// <summary>Extracts the key of <paramref name="certificate"/>; <see langword="null"/> if it is neither RSA nor EC.</summary>
    public static VerificationKey? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        AsymmetricAlgorithm? key = certificate.GetRSAPublicKey() ?? (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey();
        return key is null ? null : new VerificationKey(key);
    }

    /// <summary>A view of the same key whose <see cref="Dispose"/> does nothing: the owner of this instance keeps the
    /// key alive for as long as any view may verify with it.</summary>
    public VerificationKey Borrow() => new(_key, ownsKey: false);

    /// <summary>Checks a signature over <c>0x20*64 || context || 0x00 || content</c>.</summary>
    public bool Verify(string context, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature)
    {
        var input = SignatureInput.Build(context, content);
        return _key switch
        {
            RSA rsa => Signatures.VerifyRsaPss(rsa, input, signature),
            ECDsa ecdsa => Signatures.VerifyEcdsa(ecdsa, input, signature),
            _ => false,
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsKey)
        {
            _key.Dispose();
        }
    }
}
