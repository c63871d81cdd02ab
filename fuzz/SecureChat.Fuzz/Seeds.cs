using System.Security.Cryptography.X509Certificates;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Fuzz;

/// <summary>A seed corpus: every frame of a real session, each alone and the client's frames together.</summary>
internal static class Seeds
{
    private static (X509Certificate2 Root, X509Certificate2 Server, X509Certificate2 Client)? _pki;

    /// <summary>A CA with server.local and client.local certificates, made once per process.</summary>
    public static (X509Certificate2 Root, X509Certificate2 Server, X509Certificate2 Client) TestPki()
    {
        if (_pki is { } pki)
        {
            return pki;
        }

        var now = DateTimeOffset.UtcNow;
        var root = CertificateAuthority.CreateRoot("Fuzz Root CA", KeyKind.Rsa2048, now.AddDays(-1), now.AddYears(5));
        var server = CertificateAuthority.Issue(root, CertificateRole.Server, "server.local", KeyKind.Rsa2048, now.AddDays(-1), now.AddYears(1));
        var client = CertificateAuthority.Issue(root, CertificateRole.Client, "client.local", KeyKind.Rsa2048, now.AddDays(-1), now.AddYears(1));
        _pki = (root, server, client);
        return _pki.Value;
    }

    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var (root, serverCert, clientCert) = TestPki();
        var settings = new ProtocolSettings();
        using var clientId = new LocalIdentity(clientCert);
        using var serverId = new LocalIdentity(serverCert);
        using var client = new ClientProtocol(clientId, new CertificateValidator(new CertificatePolicy { Root = root, Peer = ExpectedPeer.Server, ExpectedName = "server.local" }), settings);
        using var server = new ServerProtocol(serverId, new CertificateValidator(new CertificatePolicy { Root = root, Peer = ExpectedPeer.Client, ExpectedName = "client.local" }), settings);
        var wire = new List<(bool ToServer, byte[] Frame)>();

        void Deliver(bool toServer, ProtocolOutput output)
        {
            var queue = new Queue<(bool, byte[])>(output.Frames.Select(f => (toServer, f)));
            while (queue.TryDequeue(out var item))
            {
                wire.Add(item);
                var result = item.Item1 ? server.Receive(item.Item2) : client.Receive(item.Item2);
                foreach (var reply in result.Frames)
                {
                    queue.Enqueue((!item.Item1, reply));
                }

                if (result.Events.OfType<AuthRequestReceived>().Any())
                {
                    foreach (var reply in server.CompleteAuth(new AuthResponsePlaintext { Ok = true, Code = AuthCodes.Ok, Username = "fuzz", Message = "" }).Frames)
                    {
                        queue.Enqueue((false, reply));
                    }
                }
            }
        }

        Deliver(true, client.Start());
        Deliver(true, client.SubmitCredentials(new AuthRequestPlaintext { Op = "login", Email = "a@b.example", Password = "password1" }));
        Deliver(true, client.SendText("hello"));
        Deliver(true, client.EndSession());
        for (var i = 0; i < wire.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"frame-{i:00}"), wire[i].Frame);
        }

        File.WriteAllBytes(Path.Combine(directory, "client-frames"), [.. wire.Where(w => w.ToServer).SelectMany(w => w.Frame)]);
    }
}
