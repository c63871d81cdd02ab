namespace SecureChat.Pki;

/// <summary>The key types the certificate authority can generate (protocol §2).</summary>
public enum KeyKind
{
    /// <summary>RSA with a 2048-bit modulus, the protocol minimum.</summary>
    Rsa2048,

    /// <summary>RSA with a 3072-bit modulus.</summary>
    Rsa3072,

    /// <summary>ECDSA over NIST P-256.</summary>
    EcdsaP256,
}
