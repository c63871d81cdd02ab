namespace SecureChat.Pki;

/// <summary>Which side of the protocol the certificate being checked belongs to.</summary>
public enum ExpectedPeer
{
    /// <summary>The peer is a server; its certificate needs serverAuth if it restricts extended key usage.</summary>
    Server,

    /// <summary>The peer is a client; its certificate needs clientAuth if it restricts extended key usage.</summary>
    Client,
}
