using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.Pki;

namespace SecureChat.Cli.Bench;

/// <summary>The cost of the primitives alone, measured in the same run as the load, on one core.</summary>
internal sealed record CryptoFloor(double RsaSignPerSecond, double RsaVerifyPerSecond, double DhKeygenPerSecond,
    double DhAgreePerSecond, double CertificateChecksPerSecond, double Argon2PerSecond)
{
    /// <summary>CPU milliseconds of all the public-key work of one session setup, both sides together:
    /// per side 2 signatures, 2 verifications, 2 DH key pairs, 2 agreements and one certificate check.</summary>
    public double SetupMilliseconds =>
        2 * ((2 * 1000 / RsaSignPerSecond) + (2 * 1000 / RsaVerifyPerSecond) + (2 * 1000 / DhKeygenPerSecond)
             + (2 * 1000 / DhAgreePerSecond) + (1000 / CertificateChecksPerSecond));

    /// <summary>Setups per second the primitives allow on <paramref name="cores"/> cores.</summary>
    public double SetupsPerSecond(int cores) => cores * 1000 / SetupMilliseconds;

    /// <summary>Setups per second on <paramref name="cores"/> cores when each also verifies one password with the
    /// production Argon2id parameters.</summary>
    public double SetupsWithArgon2PerSecond(int cores) => cores * 1000 / (SetupMilliseconds + (1000 / Argon2PerSecond));

    /// <summary>CPU milliseconds of the public-key work of one relayed message end to end: the sender signs, the
    /// server verifies and signs again for the recipient (a relayed message is the server's own message in the
    /// recipient's session), and the recipient verifies.</summary>
    public double RelayedMessageMilliseconds => (2 * 1000 / RsaSignPerSecond) + (2 * 1000 / RsaVerifyPerSecond);

    /// <summary>Measures each primitive for about <paramref name="budget"/>.</summary>
    public static CryptoFloor Measure(X509Certificate2 ca, X509Certificate2 leafWithKey, TimeSpan budget)
    {
        using var signer = new SigningKey((System.Security.Cryptography.AsymmetricAlgorithm?)leafWithKey.GetRSAPrivateKey() ?? leafWithKey.GetECDsaPrivateKey()!);
        using var verifier = VerificationKey.FromCertificate(leafWithKey)!;
        var content = new byte[120];
        var signature = signer.Sign("securechat/1 msg", content);
        var group = DhGroup.Ffdhe2048;
        using var peer = DhKeyPair.Generate(group, IEntropySource.System);
        using var own = DhKeyPair.Generate(group, IEntropySource.System);
        var validator = new CertificateValidator(new CertificatePolicy { Root = ca, Peer = ExpectedPeer.Client, ExpectedName = null });
        var hasher = new PasswordHasher(Argon2Parameters.Default, IEntropySource.System);
        return new CryptoFloor(
            Rate(budget, () => signer.Sign("securechat/1 msg", content)),
            Rate(budget, () => verifier.Verify("securechat/1 msg", content, signature)),
            Rate(budget, () => DhKeyPair.Generate(group, IEntropySource.System).Dispose()),
            Rate(budget, () => own.TryComputeSharedSecret(peer.PublicValue, out _)),
            Rate(budget, () => validator.Validate(leafWithKey, DateTimeOffset.UtcNow)),
            Rate(budget, () => hasher.Hash("correct horse battery")));
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
