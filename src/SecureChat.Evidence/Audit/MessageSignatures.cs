using SecureChat.Protocol;

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

/// <summary>Both checks of one message line that need no other line.</summary>
internal readonly record struct MessageCheck(SignatureCheck Signature, PlaintextCheck Plaintext);

/// <summary>Verifies every message signature (and kept plaintext) of a file ahead of the in-order pass (protocol
/// §4.5, §4.8 items 2–3).</summary>
/// <remarks>Signature verification is nearly all of an audit's cost and each line is independent, so large files
/// are spread over every core. Each worker gets its own <see cref="MessageKeys"/>: the OpenSSL-backed RSA of .NET
/// verifies through a fresh EVP_PKEY_CTX on an immutable key and would tolerate sharing, but the .NET contract does
/// not promise thread safety for instance members on every platform, and a few extra key imports cost nothing
/// next to thousands of verifications. Results land in a slot per line; the caller then judges lines in order,
/// so the reported failure is the lowest line number whatever the scheduling.</remarks>
internal static class MessageSignatures
{
    /// <summary>Checks the message lines among <paramref name="records"/>; the result has one slot per record.</summary>
    public static MessageCheck[] Verify(IReadOnlyList<TranscriptRecord?> records, AuditedSession session, AuditOptions options,
        out bool parallel)
    {
        var work = new List<(int Index, Direction Direction, TranscriptMessageLine Line)>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is TranscriptMessageLine line && DirectionExtensions.FromWire(line.Dir) is { } direction)
            {
                work.Add((i, direction, line));
            }
        }

        var results = new MessageCheck[records.Count];
        parallel = work.Count >= Math.Max(2, options.ParallelThreshold) && options.MaxDegreeOfParallelism != 1;
        if (!parallel)
        {
            using var keys = session.CreateMessageKeys();
            foreach (var (index, direction, line) in work)
            {
                results[index] = MessageLineCheck.Check(keys, session.SessionId, direction, line);
                if (results[index].Signature != SignatureCheck.Valid)
                {
                    break;
                }
            }

            return results;
        }

        var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, work.Count, parallelOptions, session.CreateMessageKeys,
            (k, state, keys) =>
            {
                var (index, direction, line) = work[k];
                results[index] = MessageLineCheck.Check(keys, session.SessionId, direction, line);
                if (results[index].Signature != SignatureCheck.Valid)
                {
                    // Break still runs every lower iteration, so the lowest failing line is always found; higher
                    // ones are not needed because the in-order pass stops at the first failure.
                    state.Break();
                }

                return keys;
            },
            keys => keys.Dispose());
        return results;
    }
}
