using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.Pki;

namespace SecureChat.Cli.Bench;

/// <summary>The cost of the primitives alone, measured in the same run as the load, on one core.</summary>
/// <param name="Key">The kind of the key in use (the clients' certificate key; a bench's own PKI gives the server
/// the same kind): <c>rsa2048</c> or <c>p256</c>.</param>
/// <param name="SignPerSecond">Protocol signatures per second with a key of that kind.</param>
/// <param name="VerifyPerSecond">Verifications of those signatures per second.</param>
/// <param name="RsaSignPerSecond">RSA-2048 PSS signatures per second: the yardstick of the one-sender target,
/// measured with a fresh RSA-2048 key when the key in use is of another kind.</param>
/// <param name="RsaVerifyPerSecond">RSA-2048 PSS verifications per second, likewise.</param>
internal sealed record CryptoFloor(string Key, double SignPerSecond, double VerifyPerSecond, double RsaSignPerSecond, double RsaVerifyPerSecond,
    double DhKeygenPerSecond, double DhAgreePerSecond, double CertificateChecksPerSecond, double Argon2PerSecond)
{
    private const string Context = "securechat/1 msg";

    /// <summary>CPU milliseconds of all the public-key work of one session setup, both sides together:
    /// per side 2 signatures, 2 verifications, 2 DH key pairs, 2 agreements and one certificate check.</summary>
    public double SetupMilliseconds =>
        2 * ((2 * 1000 / SignPerSecond) + (2 * 1000 / VerifyPerSecond) + (2 * 1000 / DhKeygenPerSecond)
             + (2 * 1000 / DhAgreePerSecond) + (1000 / CertificateChecksPerSecond));

    /// <summary>Setups per second the primitives allow on <paramref name="cores"/> cores.</summary>
    public double SetupsPerSecond(int cores) => cores * 1000 / SetupMilliseconds;

    /// <summary>Setups per second on <paramref name="cores"/> cores when each also verifies one password with the
    /// production Argon2id parameters.</summary>
    public double SetupsWithArgon2PerSecond(int cores) => cores * 1000 / (SetupMilliseconds + (1000 / Argon2PerSecond));

    /// <summary>CPU milliseconds of the public-key work of one relayed message end to end: the sender signs, the
    /// server verifies and signs again for the recipient (a relayed message is the server's own message in the
    /// recipient's session), and the recipient verifies.</summary>
    public double RelayedMessageMilliseconds => (2 * 1000 / SignPerSecond) + (2 * 1000 / VerifyPerSecond);

    /// <summary>Measures each primitive for about <paramref name="budget"/>.</summary>
    public static CryptoFloor Measure(X509Certificate2 ca, X509Certificate2 leafWithKey, TimeSpan budget)
    {
        var key = BenchPki.KeyName(leafWithKey);
        var (sign, verify) = SignAndVerify(new SigningKey((AsymmetricAlgorithm?)leafWithKey.GetRSAPrivateKey() ?? leafWithKey.GetECDsaPrivateKey()!),
            VerificationKey.FromCertificate(leafWithKey)!, budget);
        var (rsaSign, rsaVerify) = key == "rsa2048" ? (sign, verify) : SignAndVerify("rsa2048", budget);
        var group = DhGroup.Ffdhe2048;
        using var peer = DhKeyPair.Generate(group, IEntropySource.System);
        using var own = DhKeyPair.Generate(group, IEntropySource.System);
        var validator = new CertificateValidator(new CertificatePolicy { Root = ca, Peer = ExpectedPeer.Client, ExpectedName = null });
        var hasher = new PasswordHasher(Argon2Parameters.Default, IEntropySource.System);
        return new CryptoFloor(
            key,
            sign,
            verify,
            rsaSign,
            rsaVerify,
            Rate(budget, () => DhKeyPair.Generate(group, IEntropySource.System).Dispose()),
            Rate(budget, () => own.TryComputeSharedSecret(peer.PublicValue, out _)),
            Rate(budget, () => validator.Validate(leafWithKey, DateTimeOffset.UtcNow)),
            Rate(budget, () => hasher.Hash("correct horse battery")));
    }

    /// <summary>Protocol signatures and verifications per second, on one core, with a fresh key of the kind
    /// <paramref name="key"/> names (<see cref="BenchPki.KeyName"/>).</summary>
    public static (double Sign, double Verify) SignAndVerify(string key, TimeSpan budget)
    {
        // Each wrapper owns and disposes its key: the private key signs, a copy of its public half verifies.
        var pair = BenchPki.NewKey(key);
        AsymmetricAlgorithm publicHalf = pair switch
        {
            RSA rsa => RSA.Create(rsa.ExportParameters(false)),
            _ => ECDsa.Create(((ECDsa)pair).ExportParameters(false)),
        };
        return SignAndVerify(new SigningKey(pair), new VerificationKey(publicHalf), budget);
    }

    private static (double Sign, double Verify) SignAndVerify(SigningKey signer, VerificationKey verifier, TimeSpan budget)
    {
        using (signer)
        using (verifier)
        {
            var content = new byte[120];
            var signature = signer.Sign(Context, content);
            if (!verifier.Verify(Context, content, signature))
            {
                throw new InvalidOperationException("the crypto floor's own signature did not verify");
            }

            return (Rate(budget, () => signer.Sign(Context, content)), Rate(budget, () => verifier.Verify(Context, content, signature)));
        }
    }

    private static double Rate(TimeSpan budget, Action operation)
    {
        operation();
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget || count < 3)
        {
            operation();
            count++;
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
