using System.Buffers;
using System.Security.Cryptography;
using SecureChat.Crypto;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Session;

namespace SecureChat.Evidence.Audit;

/// <summary>Checks one message line's signature and kept plaintext (protocol §4.5) without an array per field.</summary>
/// <remarks>The same verdicts as <see cref="MessageEnvelope.VerifySignature"/> followed by the commitment check: a
/// <c>ct</c> or <c>commit</c> that is not canonical base64 (or a commit that is not 32 bytes) is malformed, a
/// <c>sig</c> that is not is a signature that does not verify. The fields are decoded straight into the signature
/// input on the stack (a pooled buffer for an unusually long line), which is hashed once and checked by digest.</remarks>
internal static class MessageLineCheck
{
    private const int StackLimit = 1024;

    private static readonly int PrefixLength = SignatureInput.PrefixLength(Labels.Msg);

    public static MessageCheck Check(MessageKeys keys, byte[] sessionId, Direction direction, TranscriptMessageLine line)
    {
        // The base64 members as UTF-8, straight from the line unless they hold escapes: canonical base64 is ASCII,
        // so the verdicts are those of their strings.
        var (ctField, commitField, sigField) = (line.CtText, line.CommitText, line.SigText);
        var length = ctField.Utf8Capacity + commitField.Utf8Capacity + sigField.Utf8Capacity;
        byte[]? rented = null;
        var scratch = length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var ct = ctField.Utf8(scratch);
            var commit = commitField.Utf8(scratch[ctField.Utf8Capacity..]);
            var sig = sigField.Utf8(scratch[(ctField.Utf8Capacity + commitField.Utf8Capacity)..]);
            return Check(keys, sessionId, direction, line, ct, commit, sig);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static MessageCheck Check(MessageKeys keys, byte[] sessionId, Direction direction, TranscriptMessageLine line,
        ReadOnlySpan<byte> ctText, ReadOnlySpan<byte> commitText, ReadOnlySpan<byte> sigText)
    {
        if (!WireBytes.IsCanonicalBase64(ctText) || !WireBytes.IsCanonicalBase64(commitText)
            || WireBytes.DecodedLength(commitText) != SHA256.HashSizeInBytes)
        {
            return new MessageCheck(SignatureCheck.Malformed, PlaintextCheck.None);
        }

        if (!WireBytes.IsCanonicalBase64(sigText))
        {
            return new MessageCheck(SignatureCheck.Invalid, PlaintextCheck.None);
        }

        // signature input = 0x20*64 || "securechat/1 msg" || 0x00 || meta || ct || commit
        var metaLength = MessageEnvelope.MetaLength(sessionId.Length);
        var ctLength = WireBytes.DecodedLength(ctText);
        var inputLength = PrefixLength + metaLength + ctLength + SHA256.HashSizeInBytes;
        var sigLength = WireBytes.DecodedLength(sigText);
        byte[]? rented = null;
        var buffer = inputLength + sigLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : rented = ArrayPool<byte>.Shared.Rent(inputLength + sigLength);
        try
        {
            var input = buffer[..inputLength];
            var signature = buffer.Slice(inputLength, sigLength);
            SignatureInput.WritePrefix(Labels.Msg, input);
            MessageEnvelope.WriteMeta(input[PrefixLength..], sessionId, direction, line.Seqno, line.Ts);
            var ct = input[(PrefixLength + metaLength)..^SHA256.HashSizeInBytes];
            var commit = input[^SHA256.HashSizeInBytes..];
            WireBytes.TryDecodeCanonicalBase64(ctText, ct, out _);
            WireBytes.TryDecodeCanonicalBase64(commitText, commit, out _);
            WireBytes.TryDecodeCanonicalBase64(sigText, signature, out _);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input, digest);
            if (!keys.SenderOf(direction).VerifyDigest(digest, signature))
            {
                return new MessageCheck(SignatureCheck.Invalid, PlaintextCheck.None);
            }

            var (plaintext, content) = line.HasPlaintext ? CheckPlaintext(line.PlaintextText, commit) : (PlaintextCheck.None, null);
            return new MessageCheck(SignatureCheck.Valid, plaintext, content);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether the kept plaintext opens the commit and, when it does, the chat plaintext it holds (null if
    /// it is not one); decoded here, off the in-order pass, from the bytes already on the stack.</summary>
    private static (PlaintextCheck Check, ChatPlaintext? Content) CheckPlaintext(LineText field, ReadOnlySpan<byte> commit)
    {
        var capacity = field.Utf8Capacity;
        byte[]? rented = null;
        var scratch = capacity <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            return CheckPlaintext(field.Utf8(scratch), commit);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static (PlaintextCheck Check, ChatPlaintext? Content) CheckPlaintext(ReadOnlySpan<byte> text, ReadOnlySpan<byte> commit)
    {
        if (!WireBytes.IsCanonicalBase64(text))
        {
            return (PlaintextCheck.Malformed, null);
        }

        var length = WireBytes.DecodedLength(text);
        byte[]? rented = null;
        var plaintext = length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            WireBytes.TryDecodeCanonicalBase64(text, plaintext, out _);
            if (!MessageEnvelope.CommitmentMatches(plaintext[..length], commit))
            {
                return (PlaintextCheck.Mismatch, null);
            }

            try
            {
                return (PlaintextCheck.Matches, MessageCodec.DecodeChat(plaintext[..length]));
            }
            catch (ProtocolException)
            {
                // Not a chat plaintext: the line still verifies, the report just has no sender or text for it.
                return (PlaintextCheck.Matches, null);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
