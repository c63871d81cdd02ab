using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SecureChat.Cli.Capture;

/// <summary>Synthesizes the IP packets of one TCP connection as a capture would show them: a three-way handshake,
/// data segments with the right sequence and acknowledgement numbers in each direction, and a FIN exchange, so that
/// Wireshark's TCP reassembly puts the byte streams back together.</summary>
/// <remarks>IPv4 packets carry a correct header checksum; TCP checksums are computed over the pseudo-header (IPv4
/// and IPv6). Data is split into segments of at most <see cref="Mss"/> bytes.</remarks>
internal sealed class TcpConnection
{
    /// <summary>The largest segment payload, as on Ethernet.</summary>
    public const int Mss = 1460;

    private const byte Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10;

    private readonly IPEndPoint _client;
    private readonly IPEndPoint _server;
    private uint _clientSeq;
    private uint _serverSeq;
    private ushort _ipId;

    /// <summary>A connection from <paramref name="client"/> to <paramref name="server"/> with the given initial sequence numbers.</summary>
    public TcpConnection(IPEndPoint client, IPEndPoint server, uint clientIsn = 1000, uint serverIsn = 5000)
    {
        _client = Normalize(client);
        _server = Normalize(server);
        if (_client.AddressFamily != _server.AddressFamily)
        {
            _client = new IPEndPoint(_client.Address.MapToIPv6(), _client.Port);
            _server = new IPEndPoint(_server.Address.MapToIPv6(), _server.Port);
        }

        _clientSeq = clientIsn;
        _serverSeq = serverIsn;
    }

    /// <summary>Whether the FIN exchange has been produced.</summary>
    public bool Closed { get; private set; }

    /// <summary>SYN, SYN/ACK, ACK.</summary>
    public IReadOnlyList<byte[]> Open()
    {
        var syn = Segment(fromClient: true, Syn, []);
        _clientSeq++;
        var synAck = Segment(fromClient: false, Syn | Ack, []);
        _serverSeq++;
        return [syn, synAck, Segment(fromClient: true, Ack, [])];
    }

    /// <summary>The segments that carry <paramref name="data"/> in one direction; the last one has PSH set.</summary>
    public IReadOnlyList<byte[]> Send(bool fromClient, ReadOnlySpan<byte> data, int mss = Mss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mss, 1);
        var packets = new List<byte[]>();
        for (var offset = 0; offset < data.Length; offset += mss)
        {
            var chunk = data.Slice(offset, Math.Min(mss, data.Length - offset));
            var last = offset + chunk.Length == data.Length;
            packets.Add(Segment(fromClient, (byte)(Ack | (last ? Psh : 0)), chunk));
            Advance(fromClient, (uint)chunk.Length);
        }

        return packets;
    }

    /// <summary>FIN/ACK from the client, FIN/ACK from the server, the client's last ACK.</summary>
    public IReadOnlyList<byte[]> Close()
    {
        Closed = true;
        var clientFin = Segment(fromClient: true, Fin | Ack, []);
        _clientSeq++;
        var serverFin = Segment(fromClient: false, Fin | Ack, []);
        _serverSeq++;
        return [clientFin, serverFin, Segment(fromClient: true, Ack, [])];
    }

    private void Advance(bool fromClient, uint count)
    {
        if (fromClient)
        {
            _clientSeq += count;
        }
        else
        {
            _serverSeq += count;
        }
    }

    private byte[] Segment(bool fromClient, int flags, ReadOnlySpan<byte> payload)
    {
        var (source, destination) = fromClient ? (_client, _server) : (_server, _client);
        var tcp = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(2), (ushort)destination.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), fromClient ? _clientSeq : _serverSeq);
        var acknowledged = (flags & Ack) != 0 ? (fromClient ? _serverSeq : _clientSeq) : 0;
        BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), acknowledged);
        tcp[12] = 5 << 4;
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(14), 65535);
        payload.CopyTo(tcp.AsSpan(20));
        var checksum = Checksum(PseudoHeader(source.Address, destination.Address, tcp.Length), tcp);
        BinaryPrimitives.WriteUInt16BigEndian(tcp.AsSpan(16), checksum);
        return source.AddressFamily == AddressFamily.InterNetwork ? IPv4(source.Address, destination.Address, tcp) : IPv6(source.Address, destination.Address, tcp);
    }

    private byte[] IPv4(IPAddress source, IPAddress destination, byte[] tcp)
    {
        var packet = new byte[20 + tcp.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), _ipId++);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 0x4000);
        packet[8] = 64;
        packet[9] = (byte)ProtocolType.Tcp;
        source.GetAddressBytes().CopyTo(packet, 12);
        destination.GetAddressBytes().CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum([], packet.AsSpan(0, 20)));
        tcp.CopyTo(packet, 20);
        return packet;
    }

    private static byte[] IPv6(IPAddress source, IPAddress destination, byte[] tcp)
    {
        var packet = new byte[40 + tcp.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)tcp.Length);
        packet[6] = (byte)ProtocolType.Tcp;
        packet[7] = 64;
        source.GetAddressBytes().CopyTo(packet, 8);
        destination.GetAddressBytes().CopyTo(packet, 24);
        tcp.CopyTo(packet, 40);
        return packet;
    }

    private static byte[] PseudoHeader(IPAddress source, IPAddress destination, int tcpLength)
    {
        var s = source.GetAddressBytes();
        var d = destination.GetAddressBytes();
        var header = new byte[(s.Length * 2) + (s.Length == 4 ? 4 : 8)];
        s.CopyTo(header, 0);
        d.CopyTo(header, s.Length);
        if (s.Length == 4)
        {
            header[9] = (byte)ProtocolType.Tcp;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)tcpLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(32), (uint)tcpLength);
            header[39] = (byte)ProtocolType.Tcp;
        }

        return header;
    }

    /// <summary>The Internet checksum (RFC 1071) over <paramref name="first"/> then <paramref name="second"/>.</summary>
    internal static ushort Checksum(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        uint sum = 0;
        Add(first);
        Add(second);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;

        void Add(ReadOnlySpan<byte> bytes)
        {
            // Both parts have even length except possibly the last, so pairing restarts cleanly.
            for (var i = 0; i < bytes.Length; i += 2)
            {
                sum += (uint)(bytes[i] << 8) | (i + 1 < bytes.Length ? bytes[i + 1] : 0u);
            }
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
