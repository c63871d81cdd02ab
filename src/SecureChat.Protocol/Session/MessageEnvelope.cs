using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureChat.Crypto;
using SecureChat.Protocol.Handshake;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>The byte strings of a <c>msg</c> (protocol §4.5), shared by sender, receiver and auditor.</summary>
public static class MessageEnvelope
{
    /// <summary>Length of the commitment randomness <c>r</c>.</summary>
    public const int CommitRandomLength = 16;

    private const int StackInputLimit = 1024;

    /// <summary><c>"securechat/1 commit" || 0x00</c>, what the commitment hashes before the plaintext.</summary>
    private static readonly byte[] CommitPrefix = Labels.WithZeroAndSuffix(Labels.Commit, []);

    /// <summary><c>meta = session_id || u8(dir) || u64(seqno) || u64(ts)</c>.</summary>
    public static byte[] Meta(ReadOnlySpan<byte> sessionId, Direction direction, long seqno, long ts)
    {
        var meta = new byte[MetaLength(sessionId.Length)];
        WriteMeta(meta, sessionId, direction, seqno, ts);
        return meta;
    }

    /// <summary>The length of <c>meta</c> for a session id of <paramref name="sessionIdLength"/> bytes.</summary>
    public static int MetaLength(int sessionIdLength) => sessionIdLength + 1 + 8 + 8;

    /// <summary>Writes <c>meta</c> at the start of <paramref name="destination"/> (see <see cref="Meta"/>).</summary>
    public static void WriteMeta(Span<byte> destination, ReadOnlySpan<byte> sessionId, Direction direction, long seqno, long ts)
    {
        sessionId.CopyTo(destination);
        destination[sessionId.Length] = (byte)direction;
        BinaryPrimitives.WriteUInt64BigEndian(destination[(sessionId.Length + 1)..], unchecked((ulong)seqno));
        BinaryPrimitives.WriteUInt64BigEndian(destination[(sessionId.Length + 9)..], unchecked((ulong)ts));
    }

    /// <summary><c>aad = "securechat/1 msg" || 0x00 || meta</c>.</summary>
    public static byte[] AssociatedData(ReadOnlySpan<byte> meta) => Labels.WithZeroAndSuffix(Labels.MsgAad, meta);

    /// <summary><c>commit = H("securechat/1 commit" || 0x00 || plaintext)</c>.</summary>
    public static byte[] Commitment(ReadOnlySpan<byte> plaintext) => SHA256.HashData(Labels.WithZeroAndSuffix(Labels.Commit, plaintext));

    /// <summary>The signed content: <c>meta || ct || commit</c>.</summary>
    public static byte[] SignedContent(ReadOnlySpan<byte> meta, ReadOnlySpan<byte> ct, ReadOnlySpan<byte> commit)
    {
        var content = new byte[meta.Length + ct.Length + commit.Length];
        meta.CopyTo(content);
        ct.CopyTo(content.AsSpan(meta.Length));
        commit.CopyTo(content.AsSpan(meta.Length + ct.Length));
        return content;
    }

    /// <summary>Encrypts, commits and signs one message.</summary>
    public static ChatMessage Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sessionId, Direction direction,
        long seqno, long ts, ReadOnlySpan<byte> plaintext, SigningKey signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var meta = Meta(sessionId, direction, seqno, ts);
        var ct = Aead.Seal(key, AuthCipher.Nonce(seqno), AssociatedData(meta), plaintext);
        var commit = Commitment(plaintext);
        var sig = signer.Sign(Labels.Msg, SignedContent(meta, ct, commit));
        return new ChatMessage
        {
            Seqno = seqno,
            Ts = ts,
            Ct = Convert.ToBase64String(ct),
            Commit = Convert.ToBase64String(commit),
            Sig = Convert.ToBase64String(sig),
        };
    }

    /// <summary>Checks the sender's signature over a message (no key needed: auditors use this).</summary>
    public static bool VerifySignature(VerificationKey sender, ReadOnlySpan<byte> sessionId, Direction direction, ChatMessage message,
        out byte[] ct, out byte[] commit)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        ct = WireBytes.FromBase64(message.Ct, "ct");
        commit = WireBytes.FromBase64(message.Commit, "commit", SHA256.HashSizeInBytes);
        if (!WireBytes.TryFromCanonicalBase64(message.Sig, out var sig))
        {
            return false;
        }

        var meta = Meta(sessionId, direction, message.Seqno, message.Ts);
        return sender.Verify(Labels.Msg, SignedContent(meta, ct, commit), sig);
    }

    /// <summary>Decrypts a message whose signature was checked and verifies its commitment.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sessionId, Direction direction, long seqno, long ts,
        ReadOnlySpan<byte> ct, ReadOnlySpan<byte> commit, out byte[] plaintext)
    {
        var meta = Meta(sessionId, direction, seqno, ts);
        if (!Aead.TryOpen(key, AuthCipher.Nonce(seqno), AssociatedData(meta), ct, out plaintext))
        {
            return false;
        }

        return CommitmentMatches(plaintext, commit);
    }

    /// <summary>Whether <paramref name="plaintext"/> opens <paramref name="commit"/>.</summary>
    public static bool CommitmentMatches(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> commit)
    {
        if (CommitPrefix.Length + plaintext.Length > StackInputLimit)
        {
            return CryptographicOperations.FixedTimeEquals(Commitment(plaintext), commit);
        }

        // A chat text is short: label and plaintext are hashed from the stack instead of a fresh array.
        Span<byte> input = stackalloc byte[StackInputLimit];
        CommitPrefix.CopyTo(input);
        plaintext.CopyTo(input[CommitPrefix.Length..]);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..(CommitPrefix.Length + plaintext.Length)], digest);
        return CryptographicOperations.FixedTimeEquals(digest, commit);
    }
}
