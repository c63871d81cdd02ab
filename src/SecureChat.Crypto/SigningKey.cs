using System.Diagnostics;
using System.Security.Cryptography;

namespace SecureChat.Crypto;

/// <summary>A private key that makes protocol signatures; the algorithm follows the key (RSA → PSS, EC → ECDSA).</summary>
public sealed class SigningKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    /// <summary>Wraps an RSA or ECDSA P-256 private key. The wrapper takes ownership and disposes it.</summary>
    public SigningKey(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is not (RSA or ECDsa))
        {
            throw new ArgumentException("Only RSA and ECDSA keys can sign protocol messages.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Signs <c>0x20*64 || context || 0x00 || content</c>.</summary>
    public byte[] Sign(string context, ReadOnlySpan<byte> content)
    {
        var input = SignatureInput.Build(context, content);
        return _key switch
        {
            RSA rsa => Signatures.SignRsaPss(rsa, input),
            ECDsa ecdsa => Signatures.SignEcdsa(ecdsa, input),
            _ => throw new UnreachableException(),
        };
    }

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
