using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.TestSupport;

namespace SecureChat.Protocol.Tests;

/// <summary>The test PKI as the protocol tests use it.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Client => TestPki.Client;

    public static X509Certificate2 Server => TestPki.Server;

    public static CertificateValidator ValidatorFor(ExpectedPeer peer) =>
        new(peer == ExpectedPeer.Server ? TestPki.ServerPolicy() : TestPki.ClientPolicy());
}
