using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureChat.Crypto;

/// <summary>A peer's public key, taken from its certificate, that checks protocol signatures.</summary>
public sealed class VerificationKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    /// <summary>Wraps an RSA or ECDSA public key. The wrapper takes ownership and disposes it.</summary>
    public VerificationKey(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is not (RSA or ECDsa))
        {
            throw new ArgumentException("Only RSA and ECDSA keys verify protocol messages.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Extracts the key of <paramref name="certificate"/>; <see langword="null"/> if it is neither RSA nor EC.</summary>
    public static VerificationKey? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        AsymmetricAlgorithm? key = certificate.GetRSAPublicKey() ?? (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey();
        return key is null ? null : new VerificationKey(key);
    }

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
    public void Dispose() => _key.Dispose();
}
