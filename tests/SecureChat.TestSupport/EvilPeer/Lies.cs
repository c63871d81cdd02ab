using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Crypto;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>Deviations that make a false statement look honest: values and receipts signed with the peer's real key
/// over what the other side really saw, and certificates the peer does not hold the key of.</summary>
public static class Lies
{
    /// <summary>Replaces the DH public value (A or B) and signs it properly: only the value checks can stop it.</summary>
    public static Deviation SignedDhValue(string name, byte[] value) => Deviation.Rewrite<WireMessage>(name, (message, context) => message switch
    {
        DhServerMessage dh => dh with { B = Convert.ToBase64String(value), Sig = context.SignDhValue(dh.Phase, dh.Group, value) },
        DhClientMessage dh => dh with { A = Convert.ToBase64String(value), Sig = context.SignDhValue(dh.Phase, dh.Group, value) },
        _ => throw new InvalidOperationException("only dh_client and dh_server carry a DH value"),
    });

    /// <summary>Replaces the DH public value and keeps the original signature, as a man in the middle must.</summary>
    public static Deviation SwappedDhValue(string name, byte[] value) => Deviation.Rewrite<WireMessage>(name, (message, _) => message switch
    {
        DhServerMessage dh => dh with { B = Convert.ToBase64String(value) },
        DhClientMessage dh => dh with { A = Convert.ToBase64String(value) },
        _ => throw new InvalidOperationException("only dh_client and dh_server carry a DH value"),
    });

    /// <summary>Keeps the honest DH value but signs it again over the handshake as the other side saw it: after a
    /// <see cref="Certificate"/> swap, this signs for the presented certificate with a key that is not its own.</summary>
    public static Deviation ResignedDhValue() => Deviation.Rewrite<WireMessage>("re-signed DH value", (message, context) => message switch
    {
        DhServerMessage dh => dh with { Sig = context.SignDhValue(dh.Phase, dh.Group, Convert.FromBase64String(dh.B)) },
        DhClientMessage dh => dh with { Sig = context.SignDhValue(dh.Phase, dh.Group, Convert.FromBase64String(dh.A)) },
        _ => throw new InvalidOperationException("only dh_client and dh_server carry a DH value"),
    });

    /// <summary>Makes a <c>dh_server</c> from scratch: a fresh value signed with this peer's key over the handshake as
    /// the client saw it (use with <see cref="EvilPlan.OnReceived"/> after a <see cref="Certificate"/> swap).</summary>
    public static byte[] ForgedDhServer(DeviationContext context, string phase)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = DhValues.Fresh();
        const string group = "ffdhe2048";
        return MessageCodec.EncodeFrame(new DhServerMessage
        {
            Phase = phase,
            Group = group,
            B = Convert.ToBase64String(value),
            Sig = context.SignDhValue(phase, group, value),
        });
    }

    /// <summary>Presents <paramref name="certificate"/> in the hello instead of the peer's own (without its key).</summary>
    public static Deviation Certificate(string name, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var pem = certificate.ExportCertificatePem();
        return Deviation.Rewrite<WireMessage>(name, (message, _) => message switch
        {
            ServerHelloMessage hello => hello with { ServerCert = pem },
            HelloMessage hello => hello with { ClientCert = pem },
            _ => throw new InvalidOperationException("only hello and server_hello carry a certificate"),
        });
    }

    /// <summary>Changes the fields of this peer's receipt and signs the result with its real key, so that only the
    /// comparison with the other side's own transcript can expose it.</summary>
    public static Deviation SignedReceipt(string name, Func<ReceiptMessage, ReceiptMessage> change) =>
        Deviation.Rewrite<ReceiptMessage>(name, (honest, context) =>
        {
            var lie = change(honest);
            var own = context.Identity.Certificate.RawData;
            var peer = context.Protocol.PeerCertificate!.RawData;
            var (clientDer, serverDer) = context.IsServer ? (peer, own) : (own, peer);
            var issuer = context.IsServer ? Side.Server : Side.Client;
            var content = Receipts.SignedContent(Convert.FromHexString(lie.SessionId), issuer, clientDer, serverDer,
                lie.C2sLastSeq, lie.S2cLastSeq, Convert.FromHexString(lie.TranscriptSha256));
            return lie with { Sig = Convert.ToBase64String(context.Identity.SigningKey.Sign(Labels.Receipt, content)) };
        });
}

/// <summary>DH public values for the <c>ffdhe2048</c> group that a receiver must refuse (protocol §4.2), and a
/// valid one from a key nobody in the session holds.</summary>
public static class DhValues
{
    private const int Length = 256;

    /// <summary>The RFC 7919 ffdhe2048 prime.</summary>
    public static BigInteger P { get; } = new(Convert.FromHexString(
        "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF"),
        isUnsigned: true, isBigEndian: true);

    /// <summary>The names accepted by <see cref="Invalid"/>.</summary>
    public static IReadOnlyList<string> InvalidNames { get; } = ["0", "1", "p-1", "p", "short", "long"];

    /// <summary>An invalid value by name: 0, 1, p−1 and p at full length, or a value one byte short or long.</summary>
    public static byte[] Invalid(string name) => name switch
    {
        "0" => new byte[Length],
        "1" => Fixed(BigInteger.One),
        "p-1" => Fixed(P - 1),
        "p" => Fixed(P),
        "short" => Fresh()[1..],
        "long" => [0, .. Fresh()],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown DH value"),
    };

    /// <summary>A valid public value of a fresh key pair that no honest party holds.</summary>
    public static byte[] Fresh() => DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System).PublicValue;

    private static byte[] Fixed(BigInteger value)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[Length];
        raw.CopyTo(result, Length - raw.Length);
        return result;
    }
}
