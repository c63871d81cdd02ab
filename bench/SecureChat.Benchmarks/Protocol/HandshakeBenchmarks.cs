using BenchmarkDotNet.Attributes;
using SecureChat.Benchmarks.Infrastructure;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Handshake;

namespace SecureChat.Benchmarks.Protocol;

/// <summary>The protocol-side CPU of one session setup, both state machines together: hello and server_hello with
/// certificate validation, the signed DH for k_auth, one encrypted login accepted at once (no password hash), the
/// signed DH for k_chat. Identities and validators are made once, as a host does.</summary>
/// <remarks>The baseline runs only the cryptography one setup cannot avoid, with the same keys, in the same
/// process, so the ratio is the handshake's cost over its crypto floor whatever the machine's load.</remarks>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    /// <summary>Handshakes run before measuring. One handshake calls the big-integer code hundreds of times but the
    /// handshake path itself only once, so a short job would otherwise time tier-0 code (about 3x slower).</summary>
    private const int JitWarmup = 200;

    private static readonly byte[] Credentials = new byte[80];
    private static readonly byte[] Answer = new byte[90];

    private SessionParties _parties = null!;
    private string _clientPem = null!;
    private string _serverPem = null!;
    private byte[] _transcriptHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        _parties = new SessionParties();
        _clientPem = _parties.ClientIdentity.Pem;
        _serverPem = _parties.ServerIdentity.Pem;
        _transcriptHash = new byte[32];
        for (var i = 0; i < JitWarmup; i++)
        {
            FullHandshake();
            CryptoFloor();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _parties.Dispose();

    [Benchmark]
    public int FullHandshake()
    {
        using var pair = _parties.NewPair().Handshake();
        return pair.Client.Handshake.Frames.Count;
    }

    /// <summary>Per side: one peer certificate accepted (PEM, chain and policy, key), and per phase one DH key
    /// generated, one RSA-PSS signature made, the peer's checked and one agreement; then the key schedule and the
    /// AES-GCM of one login request and its answer.</summary>
    [Benchmark(Baseline = true)]
    public int CryptoFloor()
    {
        var now = _parties.Settings.Time.GetUtcNow();
        using var serverKey = AcceptPeer(_serverPem, _parties.ServerValidator, now);
        using var clientKey = AcceptPeer(_clientPem, _parties.ClientValidator, now);
        var z1 = SignedExchange(Labels.DhClientAuth, Labels.DhServerAuth, clientKey, serverKey);
        var z2 = SignedExchange(Labels.DhClientChat, Labels.DhServerChat, clientKey, serverKey);
        var length = 0;
        foreach (var direction in (ReadOnlySpan<Direction>)[Direction.ClientToServer, Direction.ServerToClient])
        {
            // Each side derives both phases' keys; the login request travels one way and its answer the other.
            using var authKeys = KeySchedule.DeriveAuthKeys(z1, _transcriptHash);
            using var chatKeys = KeySchedule.DeriveChatKeys(authKeys.AuthSecret, z2, _transcriptHash);
            var key = authKeys.For(direction);
            var ct = AuthCipher.Seal(key, direction, 1, direction == Direction.ClientToServer ? Credentials : Answer);
            if (!AuthCipher.TryOpen(key, direction, 1, ct, out var opened))
            {
                throw new InvalidOperationException("The auth message does not open.");
            }

            length += opened.Length + chatKeys.SessionId.Length;
        }

        return length;
    }

    private static VerificationKey AcceptPeer(string pem, CertificateValidator validator, DateTimeOffset now)
    {
        using var certificate = PemFiles.TryParseCertificate(pem)!;
        if (!validator.Validate(certificate, now).IsValid)
        {
            throw new InvalidOperationException("The peer certificate does not validate.");
        }

        return VerificationKey.FromCertificate(certificate)!;
    }

    /// <summary>One signed DH phase: A signed by the client and checked by the server, B signed by the server and
    /// checked by the client, Z computed on both sides.</summary>
    private byte[] SignedExchange(string clientContext, string serverContext, VerificationKey clientKey, VerificationKey serverKey)
    {
        var group = _parties.Settings.PreferredGroup;
        var entropy = _parties.Settings.Entropy;
        var a = DhKeyPair.Generate(group, entropy);
        var clientContent = DhSignatures.ClientContent(_transcriptHash, group.Name, a.PublicValue);
        var clientSig = _parties.ClientIdentity.SigningKey.Sign(clientContext, clientContent);
        if (!clientKey.Verify(clientContext, clientContent, clientSig))
        {
            throw new InvalidOperationException("The client signature does not verify.");
        }

        var b = DhKeyPair.Generate(group, entropy);
        if (!b.TryComputeSharedSecret(a.PublicValue, out var serverZ))
        {
            throw new InvalidOperationException("The server agreement failed.");
        }

        var serverContent = DhSignatures.ServerContent(_transcriptHash, b.PublicValue);
        var serverSig = _parties.ServerIdentity.SigningKey.Sign(serverContext, serverContent);
        if (!serverKey.Verify(serverContext, serverContent, serverSig) || !a.TryComputeSharedSecret(b.PublicValue, out var clientZ)
            || !clientZ.AsSpan().SequenceEqual(serverZ))
        {
            throw new InvalidOperationException("The client side of the exchange failed.");
        }

        return clientZ;
    }
}
