using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;

namespace SecureChat.TestSupport;

/// <summary>The test PKI as the protocol tests use it.</summary>
public static class TestCertificates
{
    public static X509Certificate2 Client => TestPki.Client;

    public static X509Certificate2 Server => TestPki.Server;

    public static CertificateValidator ValidatorFor(ExpectedPeer peer) =>
        new(peer == ExpectedPeer.Server ? TestPki.ServerPolicy() : TestPki.ClientPolicy());
}
