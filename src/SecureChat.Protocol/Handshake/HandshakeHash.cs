using System.Security.Cryptography;

namespace SecureChat.Protocol.Handshake;

/// <summary>The running handshake hash TH (protocol §3): SHA-256 over every handshake frame exactly as on
/// the wire, length prefix included. It also keeps the frames for the transcript file header (§4.8).</summary>
public sealed class HandshakeHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<byte[]> _frames = [];

    /// <summary>The frames hashed so far, each with its length prefix.</summary>
    public IReadOnlyList<byte[]> Frames => _frames;

    /// <summary>TH over the frames appended so far.</summary>
    public byte[] CurrentHash => _hash.GetCurrentHash();

    /// <summary>Adds a frame and returns TH up to and including it.</summary>
    public byte[] Append(ReadOnlySpan<byte> frame)
    {
        _hash.AppendData(frame);
        _frames.Add(frame.ToArray());
        return _hash.GetCurrentHash();
    }

    /// <summary>Computes TH over <paramref name="frames"/> (auditors replay a header this way).</summary>
    public static byte[] Compute(IEnumerable<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var frame in frames)
        {
            hash.AppendData(frame);
        }

        return hash.GetCurrentHash();
    }

    /// <inheritdoc/>
    public void Dispose() => _hash.Dispose();
}
