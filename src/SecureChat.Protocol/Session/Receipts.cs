using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureChat.Crypto;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>Why a receipt was refused.</summary>
public enum ReceiptProblem
{
    /// <summary>The receipt is valid.</summary>
    None,

    /// <summary>A field is malformed or names the wrong issuer.</summary>
    Malformed,

    /// <summary>The session id is not this session's.</summary>
    WrongSession,

    /// <summary>The signature does not verify with the issuer's certificate.</summary>
    BadSignature,

    /// <summary>It covers messages this side does not have.</summary>
    BeyondTranscript,

    /// <summary>Its hash differs from this side's chain at those counts.</summary>
    HashMismatch,
}

/// <summary>Signing and checking of session receipts (protocol §4.6).</summary>
public static class Receipts
{
    /// <summary>The signed content: <c>session_id || u8(issuer) || H(client_cert) || H(server_cert) || u64(c2s) || u64(s2c) || transcript_sha256</c>.</summary>
    public static byte[] SignedContent(ReadOnlySpan<byte> sessionId, Side issuer, ReadOnlySpan<byte> clientCertDer,
        ReadOnlySpan<byte> serverCertDer, long c2sLastSeq, long s2cLastSeq, ReadOnlySpan<byte> transcriptHash)
    {
        var content = new byte[sessionId.Length + 1 + 32 + 32 + 8 + 8 + transcriptHash.Length];
        var span = content.AsSpan();
        sessionId.CopyTo(span);
        span = span[sessionId.Length..];
        span[0] = (byte)issuer;
        span = span[1..];
        SHA256.HashData(clientCertDer, span);
        span = span[32..];
        SHA256.HashData(serverCertDer, span);
        span = span[32..];
        BinaryPrimitives.WriteUInt64BigEndian(span, checked((ulong)c2sLastSeq));
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], checked((ulong)s2cLastSeq));
        transcriptHash.CopyTo(span[16..]);
        return content;
    }

    /// <summary>Makes this side's receipt over everything in <paramref name="chain"/>.</summary>
    public static ReceiptMessage Create(Side issuer, ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> clientCertDer,
        ReadOnlySpan<byte> serverCertDer, MessageChains chain, SigningKey signer)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(signer);
        var c2s = chain.Count(Direction.ClientToServer);
        var s2c = chain.Count(Direction.ServerToClient);
        var hash = chain.TranscriptHash(c2s, s2c)!;
        var sig = signer.Sign(Labels.Receipt, SignedContent(sessionId, issuer, clientCertDer, serverCertDer, c2s, s2c, hash));
        return new ReceiptMessage
        {
            Peer = issuer.ToWire(),
            SessionId = WireBytes.ToHex(sessionId),
            C2sLastSeq = c2s,
            S2cLastSeq = s2c,
            TranscriptSha256 = WireBytes.ToHex(hash),
            Sig = Convert.ToBase64String(sig),
        };
    }

    /// <summary>Checks a receipt: issuer, session, signature, counts within <paramref name="chain"/> and hash equality.</summary>
    public static ReceiptProblem Verify(ReceiptMessage receipt, Side expectedIssuer, VerificationKey issuerKey,
        ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> clientCertDer, ReadOnlySpan<byte> serverCertDer, MessageChains chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var problem = VerifySignature(receipt, expectedIssuer, issuerKey, sessionId, clientCertDer, serverCertDer, out var claimed);
        if (problem != ReceiptProblem.None)
        {
            return problem;
        }

        var own = chain.TranscriptHash(receipt.C2sLastSeq, receipt.S2cLastSeq);
        if (own is null)
        {
            return ReceiptProblem.BeyondTranscript;
        }

        return CryptographicOperations.FixedTimeEquals(own, claimed) ? ReceiptProblem.None : ReceiptProblem.HashMismatch;
    }

    /// <summary>Checks the parts of a receipt that need no transcript: fields, session id and signature.</summary>
    public static ReceiptProblem VerifySignature(ReceiptMessage receipt, Side expectedIssuer, VerificationKey issuerKey,
        ReadOnlySpan<byte> sessionId, ReadOnlySpan<byte> clientCertDer, ReadOnlySpan<byte> serverCertDer, out byte[] transcriptHash)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(issuerKey);
        transcriptHash = [];
        if (receipt.Peer != expectedIssuer.ToWire() || receipt.C2sLastSeq < 0 || receipt.S2cLastSeq < 0
            || !WireBytes.TryFromLowerHex(receipt.TranscriptSha256, 32, out var hash)
            || !WireBytes.TryFromLowerHex(receipt.SessionId, sessionId.Length, out var claimedSession)
            || !WireBytes.TryFromCanonicalBase64(receipt.Sig, out var sig))
        {
            return ReceiptProblem.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(claimedSession, sessionId))
        {
            return ReceiptProblem.WrongSession;
        }

        var content = SignedContent(sessionId, expectedIssuer, clientCertDer, serverCertDer, receipt.C2sLastSeq, receipt.S2cLastSeq, hash);
        if (!issuerKey.Verify(Labels.Receipt, content, sig))
        {
            return ReceiptProblem.BadSignature;
        }

        transcriptHash = hash;
        return ReceiptProblem.None;
    }
}
