using System.Numerics;
using SecureChat.Crypto;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Protocol.Tests;

/// <summary>Attacks by a peer that holds a valid certificate and key but deviates from the protocol:
/// its signatures verify, so only the later checks can stop it.</summary>
public sealed class MaliciousPeerTests
{
    private static readonly BigInteger P = new(Convert.FromHexString(
        "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF"),
        isUnsigned: true, isBigEndian: true);

    public static TheoryData<string> BadValues => new() { "zero", "one", "p-1", "p", "p+1", "short", "long", "all-ones" };

    private static byte[] BadValue(string name)
    {
        byte[] Fixed(BigInteger v)
        {
            var raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
            var result = new byte[256];
            raw.CopyTo(result, 256 - raw.Length);
            return result;
        }

        return name switch
        {
            "zero" => new byte[256],
            "one" => Fixed(BigInteger.One),
            "p-1" => Fixed(P - 1),
            "p" => Fixed(P),
            "p+1" => Fixed(P + 1),
            "short" => new byte[255].Select((_, i) => (byte)(i + 1)).ToArray(),
            "long" => new byte[257].Select((_, i) => (byte)(i + 1)).ToArray(),
            _ => Enumerable.Repeat((byte)0xFF, 256).ToArray(),
        };
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Signed_but_invalid_client_dh_value_is_bad_dh(string value)
    {
        using var pair = new ProtocolPair();
        pair.Attacker = (toServer, frame) =>
        {
            if (toServer && Tamper.Decode(frame) is DhClientMessage dh)
            {
                var a = BadValue(value);
                var th = HandshakeHash.Compute(pair.Wire.Select(w => w.Frame));
                var sig = pair.ClientIdentity.SigningKey.Sign(Labels.DhClientAuth, DhSignatures.ClientContent(th, dh.Group, a));
                return [Tamper.Encode(dh with { A = Convert.ToBase64String(a), Sig = Convert.ToBase64String(sig) })];
            }

            return [frame];
        };
        var e = Assert.Throws<ProtocolException>(pair.Handshake);
        Assert.Equal(ProtocolErrorCode.BadDh, e.Code);
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Signed_but_invalid_server_dh_value_is_bad_dh(string value)
    {
        using var pair = new ProtocolPair();
        pair.Attacker = (toServer, frame) =>
        {
            if (!toServer && Tamper.Decode(frame) is DhServerMessage dh)
            {
                var b = BadValue(value);
                var th = HandshakeHash.Compute(pair.Wire.Select(w => w.Frame));
                var sig = pair.ServerIdentity.SigningKey.Sign(Labels.DhServerAuth, DhSignatures.ServerContent(th, b));
                return [Tamper.Encode(dh with { B = Convert.ToBase64String(b), Sig = Convert.ToBase64String(sig) })];
            }

            return [frame];
        };
        Assert.Equal(ProtocolErrorCode.BadDh, Assert.Throws<ProtocolException>(pair.Handshake).Code);
    }

    private static byte[] Forge(ProtocolPair pair, long seqno, byte[] ct, byte[] commit)
    {
        var sessionId = pair.Client.Chat!.SessionId.ToArray();
        var ts = pair.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var meta = MessageEnvelope.Meta(sessionId, Direction.ClientToServer, seqno, ts);
        var sig = pair.ClientIdentity.SigningKey.Sign(Labels.Msg, MessageEnvelope.SignedContent(meta, ct, commit));
        return Tamper.Encode(new ChatMessage
        {
            Seqno = seqno,
            Ts = ts,
            Ct = Convert.ToBase64String(ct),
            Commit = Convert.ToBase64String(commit),
            Sig = Convert.ToBase64String(sig),
        });
    }

    [Fact]
    public void Signed_garbage_ciphertext_is_decrypt_fail()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var frame = Forge(pair, 1, IEntropySource.System.GetBytes(40), IEntropySource.System.GetBytes(32));
        Assert.Equal(ProtocolErrorCode.DecryptFail, Assert.Throws<ProtocolException>(() => pair.Server.Receive(frame)).Code);
    }

    [Fact]
    public void Commitment_to_another_plaintext_is_decrypt_fail()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();

        // A sender that encrypts one text but commits to another, to deny it later: the receiver refuses it.
        var genuine = (ChatMessage)Tamper.Decode(pair.Client.SendText("I owe you 100").Frames[0]);
        var ct = Convert.FromBase64String(genuine.Ct);
        var lie = MessageEnvelope.Commitment("{\"text\":\"I owe you 1\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}"u8);
        var forged = Tamper.Decode(Forge(pair, 1, ct, lie)) as ChatMessage;

        // The forged ts may differ from the genuine one, which changes the AAD; keep the genuine ts.
        var sessionId = pair.Client.Chat!.SessionId.ToArray();
        var meta = MessageEnvelope.Meta(sessionId, Direction.ClientToServer, 1, genuine.Ts);
        var sig = pair.ClientIdentity.SigningKey.Sign(Labels.Msg, MessageEnvelope.SignedContent(meta, ct, lie));
        var frame = Tamper.Encode(forged! with { Ts = genuine.Ts, Sig = Convert.ToBase64String(sig) });
        Assert.Equal(ProtocolErrorCode.DecryptFail, Assert.Throws<ProtocolException>(() => pair.Server.Receive(frame)).Code);
    }

    public static TheoryData<string> ReceiptLies => new() { "hash", "more-messages", "session", "issuer", "signature", "counts-unsigned" };

    [Theory]
    [MemberData(nameof(ReceiptLies))]
    public void Lying_receipt_is_receipt_mismatch(string lie)
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Deliver(toServer: true, pair.Client.SendText("one"));
        pair.Deliver(toServer: false, pair.Server.SendText("two"));

        var chat = pair.Client.Chat!;
        var sessionId = chat.SessionId.ToArray();
        var clientDer = pair.ClientIdentity.Certificate.RawData;
        var serverDer = pair.ServerIdentity.Certificate.RawData;
        var honest = chat.CreateReceipt();
        ReceiptMessage Signed(long c2s, long s2c, byte[] hash, byte[]? session = null) => honest with
        {
            SessionId = WireBytes.ToHex(session ?? sessionId),
            C2sLastSeq = c2s,
            S2cLastSeq = s2c,
            TranscriptSha256 = WireBytes.ToHex(hash),
            Sig = Convert.ToBase64String(pair.ClientIdentity.SigningKey.Sign(Labels.Receipt,
                Receipts.SignedContent(session ?? sessionId, Side.Client, clientDer, serverDer, c2s, s2c, hash))),
        };

        var receipt = lie switch
        {
            "hash" => Signed(1, 1, new byte[32]),
            "more-messages" => Signed(2, 1, chat.Chains.TranscriptHash(1, 1)!),
            "session" => Signed(1, 1, chat.Chains.TranscriptHash(1, 1)!, new byte[16]),
            "issuer" => honest with { Peer = "server" },
            "signature" => honest with { Sig = Tamper.FlipBase64(honest.Sig, 9) },
            _ => honest with { C2sLastSeq = 0 },
        };
        var e = Assert.Throws<ProtocolException>(() => pair.Server.Receive(Tamper.Encode(receipt)));
        Assert.Equal(ProtocolErrorCode.ReceiptMismatch, e.Code);
        Assert.Empty(pair.ServerEvents.OfType<ReceiptReceived>());
    }

    [Fact]
    public void Honest_receipt_of_a_prefix_is_accepted()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var clientReceipt = pair.Client.EndSession();
        pair.Deliver(toServer: false, pair.Server.SendText("in flight"));
        pair.Deliver(toServer: true, clientReceipt);
        var serverReceipt = pair.ServerEvents.OfType<ReceiptSent>().Single().Receipt;
        Assert.Equal(1, serverReceipt.S2cLastSeq);
        Assert.Equal(0, pair.ClientEvents.OfType<ReceiptSent>().Single().Receipt.S2cLastSeq);
    }
}
