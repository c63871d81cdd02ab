using System.Buffers.Binary;

namespace SecureChat.Cli.Capture;

/// <summary>Writes a pcapng file (one section, one raw-IP interface, enhanced packet blocks) that Wireshark and tshark
/// read; no capture privileges are involved because the packets are given, not sniffed.</summary>
/// <remarks>All blocks are little-endian (the byte-order magic says so), timestamps are microseconds since the Unix
/// epoch (the interface's default resolution) and every block is padded to a multiple of four bytes.</remarks>
internal sealed class PcapngWriter : IDisposable
{
    /// <summary>LINKTYPE_RAW: each packet starts with its IPv4 or IPv6 header.</summary>
    public const ushort LinkTypeRaw = 101;

    /// <summary>Section header block type.</summary>
    public const uint SectionHeaderType = 0x0A0D0D0A;

    /// <summary>Interface description block type.</summary>
    public const uint InterfaceDescriptionType = 1;

    /// <summary>Enhanced packet block type.</summary>
    public const uint EnhancedPacketType = 6;

    private readonly Stream _output;
    private readonly bool _leaveOpen;

    /// <summary>Writes the section header and the one interface description to <paramref name="output"/>.</summary>
    public PcapngWriter(Stream output, bool leaveOpen = false)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _output.Write(SectionHeader());
        _output.Write(InterfaceDescription());
    }

    /// <summary>Appends one packet (an IP datagram) seen at <paramref name="timestamp"/>.</summary>
    public void WritePacket(DateTimeOffset timestamp, ReadOnlySpan<byte> packet) => _output.Write(EnhancedPacket(timestamp, packet));

    /// <summary>Flushes the file and closes it unless it was to be left open.</summary>
    public void Dispose()
    {
        _output.Flush();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    /// <summary>The section header block: version 1.0, section length unknown, no options (28 bytes).</summary>
    public static byte[] SectionHeader()
    {
        var block = new byte[28];
        Head(block, SectionHeaderType);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(12), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(14), 0);
        BinaryPrimitives.WriteInt64LittleEndian(block.AsSpan(16), -1);
        return block;
    }

    /// <summary>The interface description block: raw IP, no snapshot limit, no options (20 bytes).</summary>
    public static byte[] InterfaceDescription()
    {
        var block = new byte[20];
        Head(block, InterfaceDescriptionType);
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(8), LinkTypeRaw);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(12), 0);
        return block;
    }

    /// <summary>The enhanced packet block for one packet on interface 0: 32 bytes plus the packet padded to four.</summary>
    public static byte[] EnhancedPacket(DateTimeOffset timestamp, ReadOnlySpan<byte> packet)
    {
        var padded = (packet.Length + 3) & ~3;
        var block = new byte[32 + padded];
        Head(block, EnhancedPacketType);
        var micros = (ulong)((timestamp - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(12), (uint)(micros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(16), (uint)micros);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(20), (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(24), (uint)packet.Length);
        packet.CopyTo(block.AsSpan(28));
        return block;
    }

    // Block type, then the total length both at the start and as the last four bytes.
    private static void Head(byte[] block, uint type)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), (uint)block.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(block.Length - 4), (uint)block.Length);
    }
}
