using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureChat.Crypto.Tests.Support;

/// <summary>A reproducible <see cref="IEntropySource"/>: SHA-256 in counter mode over a label.</summary>
internal sealed class DeterministicEntropy(string label) : IEntropySource
{
    private readonly byte[] _label = System.Text.Encoding.UTF8.GetBytes(label);
    private ulong _counter;

    public void Fill(Span<byte> destination)
    {
        Span<byte> block = stackalloc byte[32];
        Span<byte> input = stackalloc byte[_label.Length + sizeof(ulong)];
        _label.CopyTo(input);
        while (!destination.IsEmpty)
        {
            BinaryPrimitives.WriteUInt64BigEndian(input[_label.Length..], _counter++);
            SHA256.HashData(input, block);
            var n = Math.Min(block.Length, destination.Length);
            block[..n].CopyTo(destination);
            destination = destination[n..];
        }
    }

    /// <summary>The <paramref name="index"/>-th 32-byte value of the stream for <paramref name="label"/>.</summary>
    public static byte[] Bytes32(string label, int index)
    {
        var source = new DeterministicEntropy(label) { _counter = (ulong)index };
        return source.GetBytes(32);
    }
}

/// <summary>An <see cref="IEntropySource"/> that hands out fixed bytes, to show exactly what a consumer draws.</summary>
internal sealed class FixedEntropy(byte[] bytes) : IEntropySource
{
    public int Calls { get; private set; }

    public void Fill(Span<byte> destination)
    {
        Calls++;
        Assert.Equal(bytes.Length, destination.Length);
        bytes.CopyTo(destination);
    }
}
