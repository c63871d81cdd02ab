using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;

namespace SecureChat.Protocol;

/// <summary>This endpoint's certificate and the private key that signs for it.</summary>
public sealed class LocalIdentity : IDisposable
{
    /// <summary>Wraps a certificate that carries its private key (RSA or ECDSA P-256).</summary>
    public LocalIdentity(X509Certificate2 certificateWithKey)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        AsymmetricAlgorithm key = certificateWithKey.GetRSAPrivateKey()
            ?? (AsymmetricAlgorithm?)certificateWithKey.GetECDsaPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA or ECDSA private key.", nameof(certificateWithKey));
        Certificate = certificateWithKey;
        SigningKey = new SigningKey(key);
        Pem = certificateWithKey.ExportCertificatePem();
    }

    /// <summary>The certificate sent in the hello.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate's PEM text as sent on the wire.</summary>
    public string Pem { get; }

    /// <summary>Signs handshake values, messages and receipts.</summary>
    public SigningKey SigningKey { get; }

    /// <inheritdoc/>
    public void Dispose() => SigningKey.Dispose();
}
