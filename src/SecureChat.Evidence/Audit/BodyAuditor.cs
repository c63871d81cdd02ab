using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Protocol;
using SecureChat.Protocol.Session;

namespace SecureChat.Evidence.Audit;

/// <summary>Judges the lines after the header in file order (protocol §4.8 items 2–3): seqnos, signatures,
/// plaintext commitments, receipts against the canonical chains, and finally completeness.</summary>
internal sealed class BodyAuditor
{
    private const int StackLimit = 1024;

    private readonly AuditedSession _session;
    private readonly AuditRun _run;
    private readonly MessageChains _chain;
    private readonly byte[] _clientDer;
    private readonly byte[] _serverDer;
    private readonly PeerKeys _keys;
    private readonly OriginAuditor _origins;

    private BodyAuditor(AuditedSession session, AuditRun run, PeerKeys keys, OriginAuditor origins)
    {
        _origins = origins;
        _session = session;
        _run = run;
        _keys = keys;
        _chain = new MessageChains(session.SessionId);
        _clientDer = session.ClientCertificate.RawData;
        _serverDer = session.ServerCertificate.RawData;
    }

    /// <summary>Audits the lines after the header (<paramref name="lines"/>[0] is the header, already judged);
    /// returns whether the verified receipts prove the whole conversation.</summary>
    /// <remarks>Lines are parsed and their signatures checked in chunks on every core while this thread judges the
    /// finished chunks in file order, stopping at the first failure, so the outcome is that of one line at a time.</remarks>
    public static bool Audit(IReadOnlyList<ReadOnlyMemory<byte>> lines, TranscriptHeader? header, AuditedSession session,
        X509Certificate2 root, AuditOptions options, AuditRun run)
    {
        var body = lines.Count - 1;
        var parallel = body >= Math.Max(2, options.ParallelThreshold) && options.MaxDegreeOfParallelism != 1;
        run.VerifiedInParallel = parallel;
        var workers = parallel ? (options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount) : 1;

        // Chunks of up to 256 lines: large enough that handing one over costs nothing next to its signatures,
        // small enough that every worker gets several even in a file of a few thousand lines.
        var chunkSize = Math.Clamp(body / (4 * workers), 16, 256);
        var chunks = body <= 0 ? 0 : ((body - 1) / chunkSize) + 1;
        (int Start, int End) Range(int chunk) => (1 + (chunk * chunkSize), Math.Min(lines.Count, 1 + ((chunk + 1) * chunkSize)));

        var checks = new MessageSignatures(lines, session, options);
        using var keys = session.CreateKeys();
        var auditor = new BodyAuditor(session, run, keys, new OriginAuditor(root, options, header?.Username));
        var judged = OrderedChunks.Run(chunks, workers - 1, session.CreateMessageKeys,
            (messageKeys, chunk) => checks.Check(messageKeys, Range(chunk).Start, Range(chunk).End),
            chunk =>
            {
                var (start, end) = Range(chunk);
                for (var i = start; i < end; i++)
                {
                    if (!auditor.Judge(lines[i], checks.Records[i], i + 1, checks.Checks[i], options))
                    {
                        return false;
                    }
                }

                checks.Release(start, end);
                return true;
            });
        return judged && auditor.Completeness();
    }

    private bool Judge(ReadOnlyMemory<byte> line, TranscriptRecord? record, int lineNumber, MessageCheck check, AuditOptions options) =>
        record is null && line.Length > options.MaxLineBytes
            ? Fail(lineNumber, AuditFindingKind.MalformedLine, $"the line is longer than {options.MaxLineBytes} bytes")
            : Judge(record, lineNumber, check);

    private bool Judge(TranscriptRecord? record, int lineNumber, MessageCheck check) => record switch
    {
        TranscriptMessageLine message => JudgeMessage(message, lineNumber, check),
        TranscriptReceiptLine receipt => JudgeReceipt(receipt, lineNumber),
        TranscriptHeader => Fail(lineNumber, AuditFindingKind.DuplicateHeader, "a second header: a file holds exactly one session"),
        _ => Fail(lineNumber, AuditFindingKind.MalformedLine, "the line is not a well-formed transcript record"),
    };

    private bool JudgeMessage(TranscriptMessageLine line, int lineNumber, MessageCheck check)
    {
        if (DirectionExtensions.FromWire(line.Dir) is not { } direction)
        {
            return Fail(lineNumber, AuditFindingKind.MalformedLine, "the dir of the message is neither c2s nor s2c");
        }

        var wire = direction.ToWire();
        var expected = _chain.Count(direction) + 1;
        if (line.Seqno != expected)
        {
            return line.Seqno > expected
                ? Fail(lineNumber, AuditFindingKind.SequenceGap, $"{wire} seqno {line.Seqno} where {expected} was expected: a message is missing or moved")
                : Fail(lineNumber, AuditFindingKind.SequenceRepeat, $"{wire} seqno {line.Seqno} where {expected} was expected: a message is repeated or moved");
        }

        switch (check.Signature)
        {
            case SignatureCheck.Valid:
                break;
            case SignatureCheck.Malformed:
                return Fail(lineNumber, AuditFindingKind.MalformedLine, $"{wire} message {line.Seqno} has a ct or commit that is not canonical base64");
            case SignatureCheck.Invalid:
                return Fail(lineNumber, AuditFindingKind.BadMessageSignature,
                    $"the signature of {wire} message {line.Seqno} does not verify with the {(direction == Direction.ClientToServer ? "client" : "server")} certificate");
            default:
                throw new InvalidOperationException("A message line was reached whose signature was never checked.");
        }

        if (line.HasPlaintext && !JudgePlaintext(check.Plaintext, line, lineNumber, wire))
        {
            return false;
        }

        if (_origins.Judge(line, check.Content, lineNumber, direction, out var originProblem) is not { } entry)
        {
            return Fail(lineNumber, AuditFindingKind.BadOrigin, originProblem!);
        }

        var senderReceipt = direction == Direction.ClientToServer ? _run.ClientReceipt : _run.ServerReceipt;
        if (senderReceipt is not null)
        {
            return Fail(lineNumber, AuditFindingKind.MessageAfterReceipt,
                $"{wire} message {line.Seqno} follows the receipt of its sender on line {senderReceipt.LineNumber}");
        }

        Chain(direction, line);
        _run.Messages.Add(entry);
        _run.MessagesVerified++;
        if (direction == Direction.ClientToServer)
        {
            _run.ClientToServerMessages = line.Seqno;
        }
        else
        {
            _run.ServerToClientMessages = line.Seqno;
        }

        return true;
    }

    /// <summary>Appends a verified message to its chain from the line's UTF-8, without a string per member.</summary>
    private void Chain(Direction direction, TranscriptMessageLine line)
    {
        var (ct, commit, sig) = (line.CtText, line.CommitText, line.SigText);
        var length = ct.Utf8Capacity + commit.Utf8Capacity + sig.Utf8Capacity;
        byte[]? rented = null;
        var scratch = length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _chain.Append(direction, line.Seqno, line.Ts, ct.Utf8(scratch), commit.Utf8(scratch[ct.Utf8Capacity..]),
                sig.Utf8(scratch[(ct.Utf8Capacity + commit.Utf8Capacity)..]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool JudgePlaintext(PlaintextCheck check, TranscriptMessageLine line, int lineNumber, string wire)
    {
        switch (check)
        {
            case PlaintextCheck.Matches:
                _run.PlaintextsVerified++;
                return true;
            case PlaintextCheck.Malformed:
                return Fail(lineNumber, AuditFindingKind.MalformedLine, $"the plaintext of {wire} message {line.Seqno} is not canonical base64");
            case PlaintextCheck.Mismatch:
                return Fail(lineNumber, AuditFindingKind.CommitMismatch, $"the plaintext of {wire} message {line.Seqno} does not match its commit");
            default:
                throw new InvalidOperationException("A plaintext was reached that was never checked.");
        }
    }

    private bool JudgeReceipt(TranscriptReceiptLine line, int lineNumber)
    {
        if (!Sides.TryFromWire(line.Peer, out var issuer))
        {
            return Fail(lineNumber, AuditFindingKind.BadReceipt, "the peer of the receipt is neither client nor server");
        }

        var name = issuer.ToWire();
        if ((issuer == Side.Client ? _run.ClientReceipt : _run.ServerReceipt) is { } earlier)
        {
            return Fail(lineNumber, AuditFindingKind.DuplicateReceipt, $"a second {name} receipt; the first is on line {earlier.LineNumber}");
        }

        var key = issuer == Side.Client ? _keys.Client : _keys.Server;
        var problem = Receipts.VerifySignature(TranscriptJson.ToReceipt(line), issuer, key, _session.SessionId, _clientDer, _serverDer,
            out var claimed);
        switch (problem)
        {
            case ReceiptProblem.None:
                break;
            case ReceiptProblem.WrongSession:
                return Fail(lineNumber, AuditFindingKind.SessionIdMismatch, $"the {name} receipt names another session");
            case ReceiptProblem.BadSignature:
                return Fail(lineNumber, AuditFindingKind.BadReceipt, $"the signature of the {name} receipt does not verify with the {name} certificate");
            default:
                return Fail(lineNumber, AuditFindingKind.BadReceipt, $"the {name} receipt has a malformed field");
        }

        // An honest side only ever signs or accepts a receipt over messages it had already logged.
        var own = _chain.TranscriptHash(line.C2sLastSeq, line.S2cLastSeq);
        if (own is null)
        {
            return Fail(lineNumber, AuditFindingKind.ReceiptBeyondTranscript,
                $"the {name} receipt covers c2s {line.C2sLastSeq} and s2c {line.S2cLastSeq}, but only "
                + $"{_chain.Count(Direction.ClientToServer)} and {_chain.Count(Direction.ServerToClient)} precede it: messages were removed");
        }

        if (!CryptographicOperations.FixedTimeEquals(own, claimed))
        {
            return Fail(lineNumber, AuditFindingKind.ReceiptHashMismatch,
                $"the {name} receipt attests other messages than the ones in the file: a message was altered");
        }

        var coverage = new ReceiptCoverage(line.C2sLastSeq, line.S2cLastSeq, lineNumber);
        if (issuer == Side.Client)
        {
            _run.ClientReceipt = coverage;
        }
        else
        {
            _run.ServerReceipt = coverage;
        }

        _run.ReceiptsVerified++;
        return true;
    }

    /// <summary>Whether both receipts cover every message; records a warning saying what is missing otherwise.</summary>
    private bool Completeness()
    {
        var c2s = _chain.Count(Direction.ClientToServer);
        var s2c = _chain.Count(Direction.ServerToClient);
        return Covers(_run.ClientReceipt, Side.Client.ToWire(), c2s, s2c) & Covers(_run.ServerReceipt, Side.Server.ToWire(), c2s, s2c);
    }

    private bool Covers(ReceiptCoverage? receipt, string issuer, long c2s, long s2c)
    {
        if (receipt is null)
        {
            _run.Warn(0, AuditFindingKind.Incomplete, $"there is no {issuer} receipt, so the file does not prove the conversation ended there");
            return false;
        }

        if (receipt.C2sLastSeq != c2s || receipt.S2cLastSeq != s2c)
        {
            _run.Warn(receipt.LineNumber, AuditFindingKind.Incomplete,
                $"the {issuer} receipt covers c2s {receipt.C2sLastSeq} of {c2s} and s2c {receipt.S2cLastSeq} of {s2c}");
            return false;
        }

        return true;
    }

    private bool Fail(int lineNumber, AuditFindingKind kind, string reason)
    {
        _run.Fail(lineNumber, kind, reason);
        return false;
    }
}
