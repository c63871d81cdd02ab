using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Evidence.Audit;

/// <summary>The outcome of checking one message line's signature.</summary>
internal enum SignatureCheck : byte
{
    /// <summary>Not checked: not a message line, or skipped after an earlier failure.</summary>
    NotChecked,

    /// <summary>The sender's signature verifies.</summary>
    Valid,

    /// <summary>The signature does not verify.</summary>
    Invalid,

    /// <summary><c>ct</c> or <c>commit</c> is not canonical base64 of the right length.</summary>
    Malformed,
}

/// <summary>The outcome of checking a kept plaintext against its commit.</summary>
internal enum PlaintextCheck : byte
{
    /// <summary>No plaintext on the line, or not checked.</summary>
    None,

    /// <summary>The plaintext opens the commit.</summary>
    Matches,

    /// <summary>The plaintext is not canonical base64.</summary>
    Malformed,

    /// <summary>The plaintext does not open the commit.</summary>
    Mismatch,
}

/// <summary>Both checks of one message line that need no other line, and its kept plaintext decoded as a chat
/// plaintext when it matches the commit and is one (for the report and the origin checks).</summary>
internal readonly record struct MessageCheck(SignatureCheck Signature, PlaintextCheck Plaintext, ChatPlaintext? Content = null);

/// <summary>Parses the lines after the header and verifies every message signature (and kept plaintext) ahead of
/// the in-order judgement (protocol §4.5, §4.8 items 2–3).</summary>
/// <remarks>Signature verification is nearly all of an audit's cost and each line is independent, so large files
/// are spread over every core in chunks (<see cref="OrderedChunks"/>). Each worker gets its own
/// <see cref="MessageKeys"/>: the OpenSSL-backed RSA of .NET verifies through a fresh EVP_PKEY_CTX on an immutable
/// key and would tolerate sharing, but the .NET contract does not promise thread safety for instance members on
/// every platform, and a few extra key imports cost nothing next to thousands of verifications. Results land in a
/// slot per line; the judgement reads them in order, so the reported failure is the lowest line number whatever the
/// scheduling.</remarks>
internal sealed class MessageSignatures(IReadOnlyList<ReadOnlyMemory<byte>> lines, AuditedSession session, AuditOptions options)
{
    /// <summary>The parsed lines; a slot stays null after a malformed line, which ends what can be judged.</summary>
    public TranscriptRecord?[] Records { get; } = new TranscriptRecord?[lines.Count];

    /// <summary>The checks of the message lines.</summary>
    public MessageCheck[] Checks { get; } = new MessageCheck[lines.Count];

    /// <summary>Parses and checks lines <paramref name="start"/> to <paramref name="end"/> (exclusive); stops at
    /// the first malformed line or failing signature and returns false, because the in-order judgement stops
    /// there and nothing after it is needed.</summary>
    public bool Check(MessageKeys keys, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var line = lines[i];
            var record = line.Length > options.MaxLineBytes ? null : TranscriptJson.TryParseRetained(line);
            Records[i] = record;
            if (record is null)
            {
                return false;
            }

            if (record is TranscriptMessageLine message && DirectionExtensions.FromWire(message.Dir) is { } direction)
            {
                Checks[i] = MessageLineCheck.Check(keys, session.SessionId, direction, message);
                if (Checks[i].Signature != SignatureCheck.Valid)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Lets the judged lines go; the file can be far larger than what should stay parsed at once.</summary>
    public void Release(int start, int end)
    {
        Array.Clear(Records, start, end - start);
        Array.Clear(Checks, start, end - start);
    }
}
