using System.Buffers.Binary;
using System.Net;
using SecureChat.Cli.Capture;

namespace SecureChat.Cli.Tests;

/// <summary>The pcapng writer and the TCP packet synthesizer behind <c>--pcap</c>, byte for byte.</summary>
public sealed class PcapngWriterTests
{
    private static readonly IPEndPoint Client = new(IPAddress.Parse("127.0.0.1"), 40000);
    private static readonly IPEndPoint Server = new(IPAddress.Parse("127.0.0.2"), 7443);

    [Fact]
    public void Section_header_is_version_1_0_little_endian_with_unknown_length()
    {
        Assert.Equal(Convert.FromHexString("0A0D0D0A" + "1C000000" + "4D3C2B1A" + "0100" + "0000" + "FFFFFFFFFFFFFFFF" + "1C000000"),
            PcapngWriter.SectionHeader());
    }

    [Fact]
    public void Interface_description_is_raw_ip_without_snapshot_limit()
    {
        Assert.Equal(Convert.FromHexString("01000000" + "14000000" + "6500" + "0000" + "00000000" + "14000000"),
            PcapngWriter.InterfaceDescription());
    }

    [Theory]
    [InlineData(0, 32)]
    [InlineData(1, 36)]
    [InlineData(4, 36)]
    [InlineData(5, 40)]
    [InlineData(1500, 1532)]
    public void Enhanced_packet_pads_the_data_to_four_bytes_and_repeats_its_length(int size, int expectedLength)
    {
        var packet = Enumerable.Range(1, size).Select(i => (byte)i).ToArray();
        var time = DateTimeOffset.UnixEpoch.AddTicks(0x0000_0123_4567_89AB * TimeSpan.TicksPerMicrosecond);

        var block = PcapngWriter.EnhancedPacket(time, packet);

        Assert.Equal(expectedLength, block.Length);
        Assert.Equal(0u, block.Length % 4u);
        Assert.Equal(6u, U32(block, 0));
        Assert.Equal((uint)expectedLength, U32(block, 4));
        Assert.Equal(0u, U32(block, 8));
        Assert.Equal(0x0000_0123u, U32(block, 12));
        Assert.Equal(0x4567_89ABu, U32(block, 16));
        Assert.Equal((uint)size, U32(block, 20));
        Assert.Equal((uint)size, U32(block, 24));
        Assert.Equal(packet, block[28..(28 + size)]);
        Assert.All(block[(28 + size)..^4], b => Assert.Equal(0, b));
        Assert.Equal((uint)expectedLength, U32(block, expectedLength - 4));
    }

    [Fact]
    public void A_file_is_the_section_header_the_interface_then_one_block_per_packet()
    {
        using var output = new MemoryStream();
        using (var writer = new PcapngWriter(output, leaveOpen: true))
        {
            writer.WritePacket(DateTimeOffset.UnixEpoch, [1, 2, 3]);
            writer.WritePacket(DateTimeOffset.UnixEpoch, [4, 5, 6, 7]);
        }

        var bytes = output.ToArray();
        var lengths = new List<uint>();
        for (var offset = 0; offset < bytes.Length; offset += (int)lengths[^1])
        {
            lengths.Add(U32(bytes, offset + 4));
            Assert.Equal(lengths[^1], U32(bytes, offset + (int)lengths[^1] - 4));
        }

        Assert.Equal([28u, 20u, 36u, 36u], lengths);
    }

    [Fact]
    public void Handshake_data_and_close_carry_consistent_sequence_and_acknowledgement_numbers()
    {
        var tcp = new TcpConnection(Client, Server, clientIsn: 100, serverIsn: 900);

        var open = tcp.Open().Select(Parse).ToList();
        var data = tcp.Send(fromClient: true, new byte[3000]).Select(Parse).ToList();
        var reply = tcp.Send(fromClient: false, new byte[10]).Select(Parse).ToList();
        var close = tcp.Close().Select(Parse).ToList();

        Assert.Equal([(0x02, 100u, 0u), (0x12, 900u, 101u), (0x10, 101u, 901u)], open.Select(s => (s.Flags, s.Seq, s.Ack)));
        Assert.Equal([(0x10, 101u, 1460), (0x10, 1561u, 1460), (0x18, 3021u, 80)], data.Select(s => (s.Flags, s.Seq, s.Length)));
        Assert.All(data, s => Assert.Equal((40000, 7443, 901u), (s.SourcePort, s.DestinationPort, s.Ack)));
        Assert.Equal((0x18, 901u, 3101u, 7443, 40000), (reply[0].Flags, reply[0].Seq, reply[0].Ack, reply[0].SourcePort, reply[0].DestinationPort));
        Assert.Equal([(0x11, 3101u, 911u), (0x11, 911u, 3102u), (0x10, 3102u, 912u)], close.Select(s => (s.Flags, s.Seq, s.Ack)));
        Assert.True(tcp.Closed);
    }

    [Fact]
    public void IPv4_and_TCP_checksums_verify()
    {
        var tcp = new TcpConnection(Client, Server);
        var packet = tcp.Send(fromClient: true, "odd length!"u8)[0];

        Assert.Equal(0x45, packet[0]);
        Assert.Equal(packet.Length, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        Assert.Equal(6, packet[9]);
        Assert.Equal(0, TcpConnection.Checksum([], packet.AsSpan(0, 20)));
        var pseudo = new byte[12];
        packet.AsSpan(12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)(packet.Length - 20));
        Assert.Equal(0, TcpConnection.Checksum(pseudo, packet.AsSpan(20)));
    }

    [Fact]
    public void IPv6_endpoints_give_IPv6_packets()
    {
        var tcp = new TcpConnection(new IPEndPoint(IPAddress.IPv6Loopback, 40000), new IPEndPoint(IPAddress.IPv6Loopback, 7443));

        var packet = tcp.Send(fromClient: true, "x"u8)[0];

        Assert.Equal(0x60, packet[0] & 0xF0);
        Assert.Equal(40 + 20 + 1, packet.Length);
        Assert.Equal(21, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));
    }

    private static uint U32(byte[] bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));

    private static (int Flags, uint Seq, uint Ack, int Length, int SourcePort, int DestinationPort) Parse(byte[] packet)
    {
        var tcp = packet.AsSpan(20);
        return (tcp[13], BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]), BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]), tcp.Length - 20,
            BinaryPrimitives.ReadUInt16BigEndian(tcp), BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]));
    }
}
