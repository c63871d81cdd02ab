using System.Security.Cryptography;
using SecureChat.Protocol.Messages;

namespace SecureChat.Benchmarks.Infrastructure;

/// <summary>Wire messages with the sizes of real ones, for benchmarks that do not need valid signatures.</summary>
internal static class SampleMessages
{
    /// <summary>A <c>msg</c> shaped like one carrying <paramref name="textBytes"/> of text: the JSON plaintext adds
    /// about 45 bytes (<c>text</c>, <c>r</c>), GCM 16; the RSA-2048 signature is 256 bytes.</summary>
    public static ChatMessage Msg(int textBytes) => new()
    {
        Seqno = 42,
        Ts = 1_700_000_000_000,
        Ct = Convert.ToBase64String(RandomNumberGenerator.GetBytes(textBytes + 45 + 16)),
        Commit = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        Sig = Convert.ToBase64String(RandomNumberGenerator.GetBytes(256)),
    };

    /// <summary>A <c>hello</c> with the benchmark client certificate.</summary>
    public static HelloMessage Hello() => new()
    {
        Version = 1,
        ClientCert = BenchPki.Client.ExportCertificatePem(),
        Nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };
}
