using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Session;

/// <summary>The canonical per-direction transcript chains of protocol §4.6; identical on both sides whatever
/// the interleaving, because each direction is chained on its own in seqno order.</summary>
public sealed class MessageChains
{
    // Lines of ordinary messages fit on the stack; a longer one is built in a pooled buffer.
    private const int StackLimit = 1024;

    // A long in decimal with its sign is at most 20 bytes.
    private const int MaxLongBytes = 20;

    private readonly List<byte[]> _clientToServer;
    private readonly List<byte[]> _serverToClient;

    /// <summary>Starts both chains for <paramref name="sessionId"/>.</summary>
    public MessageChains(ReadOnlySpan<byte> sessionId)
    {
        _clientToServer = [Seed(Direction.ClientToServer, sessionId)];
        _serverToClient = [Seed(Direction.ServerToClient, sessionId)];
    }

    /// <summary>Number of messages chained in <paramref name="direction"/> (the last seqno).</summary>
    public long Count(Direction direction) => Chain(direction).Count - 1;

    /// <summary>Appends a message; its seqno must be the next one of that direction.</summary>
    public void Append(Direction direction, ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Append(direction, message.Seqno, message.Ts, message.Ct, message.Commit, message.Sig);
    }

    /// <summary>Appends a message given by its fields (base64 exactly as sent); its seqno must be the next one of
    /// that direction.</summary>
    public void Append(Direction direction, long seqno, long ts, string ct, string commit, string sig)
    {
        ArgumentNullException.ThrowIfNull(ct);
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(sig);
        var chain = Chain(direction);
        if (seqno != chain.Count)
        {
            throw new InvalidOperationException($"seqno {seqno} is not the next in {direction.ToWire()}");
        }

        chain.Add(Next(chain[^1], direction.ToWire(), seqno, ts, ct, commit, sig));
    }

    /// <summary>Appends a message given by its fields, the base64 ones as the UTF-8 bytes of the text exactly as
    /// sent; its seqno must be the next one of that direction. The same chain as the string overload.</summary>
    public void Append(Direction direction, long seqno, long ts, ReadOnlySpan<byte> ct, ReadOnlySpan<byte> commit, ReadOnlySpan<byte> sig)
    {
        var chain = Chain(direction);
        if (seqno != chain.Count)
        {
            throw new InvalidOperationException($"seqno {seqno} is not the next in {direction.ToWire()}");
        }

        chain.Add(Next(chain[^1], direction.ToWire(), seqno, ts, ct, commit, sig));
    }

    /// <summary>The chain value after the first <paramref name="count"/> messages of <paramref name="direction"/>.</summary>
    public byte[] ChainValue(Direction direction, long count) => Chain(direction)[checked((int)count)];

    /// <summary><c>H(chain_c2s(c2s) || chain_s2c(s2c))</c>, or <see langword="null"/> if a count is beyond what is held.</summary>
    public byte[]? TranscriptHash(long c2sCount, long s2cCount)
    {
        if (c2sCount < 0 || s2cCount < 0 || c2sCount > Count(Direction.ClientToServer) || s2cCount > Count(Direction.ServerToClient))
        {
            return null;
        }

        return Combine(ChainValue(Direction.ClientToServer, c2sCount), ChainValue(Direction.ServerToClient, s2cCount));
    }

    /// <summary><c>chain_dir_0 = H("securechat/1 transcript " || dir || 0x00 || session_id)</c>.</summary>
    public static byte[] Seed(Direction direction, ReadOnlySpan<byte> sessionId) =>
        SHA256.HashData(Labels.WithZeroAndSuffix(Labels.MessageChainsSeed + direction.ToWire(), sessionId));

    /// <summary><c>chain_k = H(chain_(k-1) || line_k)</c>.</summary>
    public static byte[] Next(ReadOnlySpan<byte> previous, string line)
    {
        var lineBytes = Encoding.UTF8.GetBytes(line);
        var input = new byte[previous.Length + lineBytes.Length];
        previous.CopyTo(input);
        lineBytes.CopyTo(input, previous.Length);
        return SHA256.HashData(input);
    }

    /// <summary>The same value as <see cref="Next(ReadOnlySpan{byte}, string)"/> of <see cref="Line"/>, with the
    /// line written as UTF-8 straight after <paramref name="previous"/> in one stack (or pooled) buffer.</summary>
    /// <remarks>Encoding the fields one by one gives the same bytes as encoding the joined line: they are separated
    /// by ASCII <c>'|'</c>, so no surrogate pair can straddle two of them.</remarks>
    private static byte[] Next(ReadOnlySpan<byte> previous, string dir, long seqno, long ts, string ct, string commit, string sig)
    {
        var utf8 = Encoding.UTF8;
        var length = utf8.GetByteCount(ct) + utf8.GetByteCount(commit) + utf8.GetByteCount(sig);
        byte[]? rented = null;
        var fields = length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var ctLength = utf8.GetBytes(ct, fields);
            var commitLength = utf8.GetBytes(commit, fields[ctLength..]);
            var sigLength = utf8.GetBytes(sig, fields[(ctLength + commitLength)..]);
            return Next(previous, dir, seqno, ts, fields[..ctLength], fields.Slice(ctLength, commitLength),
                fields.Slice(ctLength + commitLength, sigLength));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The chain value from the line's fields as UTF-8, written straight after <paramref name="previous"/>
    /// in one stack (or pooled) buffer.</summary>
    private static byte[] Next(ReadOnlySpan<byte> previous, string dir, long seqno, long ts, ReadOnlySpan<byte> ct,
        ReadOnlySpan<byte> commit, ReadOnlySpan<byte> sig)
    {
        var length = previous.Length + dir.Length + ct.Length + commit.Length + sig.Length + (2 * MaxLongBytes) + 5;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            previous.CopyTo(buffer);
            var at = previous.Length;
            at += Encoding.UTF8.GetBytes(dir, buffer[at..]);
            buffer[at++] = (byte)'|';
            seqno.TryFormat(buffer[at..], out var written, default, CultureInfo.InvariantCulture);
            at += written;
            buffer[at++] = (byte)'|';
            ts.TryFormat(buffer[at..], out written, default, CultureInfo.InvariantCulture);
            at += written;
            buffer[at++] = (byte)'|';
            ct.CopyTo(buffer[at..]);
            at += ct.Length;
            buffer[at++] = (byte)'|';
            commit.CopyTo(buffer[at..]);
            at += commit.Length;
            buffer[at++] = (byte)'|';
            sig.CopyTo(buffer[at..]);
            at += sig.Length;
            return SHA256.HashData(buffer[..at]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The canonical line <c>dir|seqno|ts|ct|commit|sig</c>, base64 exactly as sent.</summary>
    public static string Line(Direction direction, ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Create(CultureInfo.InvariantCulture,
            $"{direction.ToWire()}|{message.Seqno}|{message.Ts}|{message.Ct}|{message.Commit}|{message.Sig}");
    }

    /// <summary><c>transcript_sha256 = H(chain_c2s || chain_s2c)</c>.</summary>
    public static byte[] Combine(ReadOnlySpan<byte> clientToServer, ReadOnlySpan<byte> serverToClient)
    {
        Span<byte> input = stackalloc byte[clientToServer.Length + serverToClient.Length];
        clientToServer.CopyTo(input);
        serverToClient.CopyTo(input[clientToServer.Length..]);
        return SHA256.HashData(input);
    }

    private List<byte[]> Chain(Direction direction) => direction == Direction.ClientToServer ? _clientToServer : _serverToClient;
}
