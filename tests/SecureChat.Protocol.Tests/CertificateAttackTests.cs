using System.Security.Cryptography.X509Certificates;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests;

/// <summary>Each failing kind of certificate, presented by either side, ends the handshake with BAD_CERT.</summary>
public sealed class CertificateAttackTests
{
    public static TheoryData<string> BadClientCertificates => new()
    {
        "expired", "not-yet-valid", "self-signed", "other-ca", "ca-as-leaf", "server-eku", "wrong-name", "rsa1024", "revoked",
    };

    private static X509Certificate2 Pick(string kind, bool asServer) => kind switch
    {
        "expired" => TestPki.Expired,
        "not-yet-valid" => TestPki.NotYetValid,
        "self-signed" => TestPki.SelfSignedLeaf,
        "other-ca" => TestPki.IssuedByOtherCa,
        "ca-as-leaf" => TestPki.CaAsLeaf,
        "server-eku" => asServer ? TestPki.ClientAuthOnlyAsServer : TestPki.ServerAuthOnlyAsClient,
        "wrong-name" => TestPki.WrongName,
        "rsa1024" => TestPki.Rsa1024,
        _ => TestPki.Revoked,
    };

    [Theory]
    [MemberData(nameof(BadClientCertificates))]
    public void Server_refuses_bad_client_certificate(string kind)
    {
        using var pair = new ProtocolPair(clientCert: Pick(kind, asServer: false));
        var e = Assert.Throws<ProtocolException>(() => pair.Deliver(toServer: true, pair.Client.Start()));
        Assert.Equal(ProtocolErrorCode.BadCert, e.Code);
        Assert.False(e.IsRemote);
        Assert.DoesNotContain(pair.Wire, w => !w.ToServer);
    }

    [Theory]
    [MemberData(nameof(BadClientCertificates))]
    public void Client_refuses_bad_server_certificate_before_sending_anything_else(string kind)
    {
        using var pair = new ProtocolPair(serverCert: Pick(kind, asServer: true));
        var e = Assert.Throws<ProtocolException>(() => pair.Deliver(toServer: true, pair.Client.Start()));
        Assert.Equal(ProtocolErrorCode.BadCert, e.Code);
        Assert.Single(pair.Wire, w => w.ToServer);
    }

    [Fact]
    public void Valid_certificate_without_its_private_key_cannot_complete_the_handshake()
    {
        // An attacker who copied the real client certificate but signs with their own key.
        using var impostor = new ProtocolPair(clientCert: TestPki.IssuedByOtherCa);
        using var pair = new ProtocolPair();
        pair.Attacker = (toServer, frame) =>
        {
            if (toServer && Tamper.Decode(frame) is DhClientMessage dh)
            {
                var forged = impostor.ClientIdentity.SigningKey.Sign(Labels.DhClientAuth, Convert.FromBase64String(dh.A));
                return [Tamper.Encode(dh with { Sig = Convert.ToBase64String(forged) })];
            }

            return [frame];
        };
        Assert.Equal(ProtocolErrorCode.SigFail, Assert.Throws<ProtocolException>(pair.Handshake).Code);
    }

    [Fact]
    public void Garbage_certificate_is_bad_cert()
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<HelloMessage>(toServer: true, m => m with { ClientCert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" });
        Assert.Equal(ProtocolErrorCode.BadCert, Assert.Throws<ProtocolException>(pair.Handshake).Code);
    }

    [Fact]
    public void Ecdsa_p256_server_certificate_is_accepted()
    {
        using var pair = new ProtocolPair(serverCert: TestPki.EcdsaServer);
        pair.Handshake();
        pair.Deliver(toServer: false, pair.Server.SendText("signed with ECDSA"));
        Assert.Single(pair.ClientEvents.OfType<MessageReceived>());
    }
}
