using System.Buffers.Binary;
using System.Net;
using System.Text;
using SecureChat.Cli.Capture;

namespace SecureChat.Cli.Tests;

/// <summary>The Wireshark dissector (<c>tools/wireshark/securechat.lua</c>) run by the real <c>tshark</c> on captures made
/// with the pcapng writer: frame types, reassembly across segments, several frames per segment, and the expert
/// warnings for what an auditor would flag.</summary>
public sealed class WiresharkDissectorTests
{
    private static readonly string[] Handshake =
        ["hello", "server_hello", "dh_client", "dh_server", "auth_request", "auth_response", "dh_client", "dh_server"];

    [TsharkTheory]
    [InlineData(7443)]
    [InlineData(40123)]
    public async Task A_whole_session_decodes_frame_by_frame_on_the_server_port_and_heuristically(int serverPort)
    {
        using var sandbox = new CliSandbox();
        var file = sandbox.File("session.pcapng");
        using (var capture = new CraftedCapture(file, serverPort))
        {
            capture.Handshake();
            capture.Send(fromClient: true, mss: TcpConnection.Mss, Msg(1), Msg(2));
            capture.Send(fromClient: false, mss: TcpConnection.Mss, Msg(1));
            capture.Send(fromClient: true, mss: TcpConnection.Mss, Receipt("client"));
            capture.Send(fromClient: false, mss: TcpConnection.Mss, Receipt("server"));
        }

        var packets = await Tshark.DissectAsync(file);

        Assert.Equal([.. Handshake, "msg", "msg", "msg", "receipt", "receipt"], packets.SelectMany(p => p.Types));
        Assert.Equal(["c2s", "s2c", "c2s", "s2c", "c2s", "s2c", "c2s", "s2c", "c2s", "c2s", "s2c", "c2s", "s2c"], packets.SelectMany(p => p.Directions));
        Assert.Equal(["1", "2", "1"], packets.SelectMany(p => p.Seqnos));
        Assert.Empty(packets.SelectMany(p => p.Warnings));

        // The 3 000-byte hello spans three segments and the chat-phase dh_client a dozen of 64 bytes: each is shown
        // once, on the segment that completes it. Two messages written at once share one segment.
        Assert.Equal(["msg", "msg"], Assert.Single(packets, p => p.Types.Count == 2).Types);
    }

    [TsharkFact]
    public async Task A_msg_before_the_handshake_is_complete_is_flagged()
    {
        var packets = await CraftAsync(c =>
        {
            c.Send(fromClient: true, TcpConnection.Mss, Frame("""{"type":"hello","version":1,"client_cert":"pem","nonce":"AAAA"}"""));
            c.Send(fromClient: false, TcpConnection.Mss, Frame("""{"type":"server_hello","version":1,"server_cert":"pem","nonce":"AAAA"}"""));
            c.Send(fromClient: true, TcpConnection.Mss, Msg(1));
        });

        Assert.Equal(["hello", "server_hello", "msg"], packets.SelectMany(p => p.Types));
        Assert.Equal(["SecureChat: msg before the handshake is complete"], packets[^1].Warnings);
    }

    [TsharkTheory]
    [InlineData(65537u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0u)]
    public async Task A_length_prefix_outside_1_to_65536_is_flagged(uint length)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);

        var packets = await CraftAsync(c =>
        {
            c.Send(fromClient: true, TcpConnection.Mss, Frame("""{"type":"hello","version":1,"client_cert":"pem","nonce":"AAAA"}"""));
            c.Send(fromClient: true, TcpConnection.Mss, [.. prefix, .. "{\"type\":\"msg\"}"u8]);
        });

        Assert.Equal([$"SecureChat: length prefix {length} is outside 1..65536 (FRAME_TOO_LARGE)"], packets[^1].Warnings);
    }

    [TsharkFact]
    public async Task A_seqno_that_skips_or_goes_back_in_one_direction_is_flagged_and_the_other_direction_is_separate()
    {
        var packets = await CraftAsync(c =>
        {
            c.Handshake();
            c.Send(fromClient: true, TcpConnection.Mss, Msg(1));
            c.Send(fromClient: false, TcpConnection.Mss, Msg(1));
            c.Send(fromClient: true, TcpConnection.Mss, Msg(3));
            c.Send(fromClient: true, TcpConnection.Mss, Msg(2));
            c.Send(fromClient: false, TcpConnection.Mss, Frame("""{"type":"error","code":"SEQ_GAP","message":"seqno 3 after 1"}"""));
        });

        var tail = packets.Skip(Handshake.Length).ToList();
        Assert.Equal(["msg", "msg", "msg", "msg", "error"], tail.SelectMany(p => p.Types));
        Assert.Empty(tail[0].Warnings);
        Assert.Empty(tail[1].Warnings);
        Assert.Equal(["SecureChat: seqno 3 skips (last in this direction was 1): message missing"], tail[2].Warnings);
        Assert.Equal(["SecureChat: seqno 2 goes back (last in this direction was 3): replayed message"], tail[3].Warnings);
        Assert.Equal(["SecureChat: error frame SEQ_GAP: seqno 3 after 1"], tail[4].Warnings);
    }

    private static async Task<IReadOnlyList<DissectedPacket>> CraftAsync(Action<CraftedCapture> frames)
    {
        using var sandbox = new CliSandbox();
        var file = sandbox.File("crafted.pcapng");
        using (var capture = new CraftedCapture(file, 7443))
        {
            frames(capture);
        }

        return await Tshark.DissectAsync(file);
    }

    private static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private static string B64(int bytes) => Convert.ToBase64String(new byte[bytes]);

    private static byte[] Msg(int seqno) =>
        Frame($$"""{"type":"msg","seqno":{{seqno}},"ts":1767225600000,"ct":"{{B64(40)}}","commit":"{{B64(32)}}","sig":"{{B64(256)}}"}""");

    private static byte[] Receipt(string peer) =>
        Frame($$"""{"type":"receipt","peer":"{{peer}}","session_id":"{{new string('a', 32)}}","c2s_last_seq":2,"s2c_last_seq":1,"transcript_sha256":"{{new string('b', 64)}}","sig":"{{B64(256)}}"}""");

    /// <summary>A capture of one connection from 127.0.0.1:40000 to 127.0.0.1:<c>serverPort</c>, written with the writer under test.</summary>
    private sealed class CraftedCapture : IDisposable
    {
        private readonly PcapngWriter _writer;
        private readonly TcpConnection _tcp;
        private DateTimeOffset _time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public CraftedCapture(string path, int serverPort)
        {
            _writer = new PcapngWriter(File.Create(path));
            _tcp = new TcpConnection(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, serverPort));
            Write(_tcp.Open());
        }

        /// <summary>The eight handshake frames: a 3 000-byte hello, and a chat-phase dh_client in 64-byte segments.</summary>
        public void Handshake()
        {
            Send(true, TcpConnection.Mss, Frame($$"""{"type":"hello","version":1,"client_cert":"{{new string('C', 2900)}}","nonce":"{{B64(32)}}"}"""));
            Send(false, TcpConnection.Mss, Frame($$"""{"type":"server_hello","version":1,"server_cert":"pem","nonce":"{{B64(32)}}"}"""));
            Send(true, TcpConnection.Mss, Frame($$"""{"type":"dh_client","phase":"auth","group":"ffdhe2048","A":"{{B64(256)}}","sig":"{{B64(256)}}"}"""));
            Send(false, TcpConnection.Mss, Frame($$"""{"type":"dh_server","phase":"auth","group":"ffdhe2048","B":"{{B64(256)}}","sig":"{{B64(256)}}"}"""));
            Send(true, TcpConnection.Mss, Frame($$"""{"type":"auth_request","ct":"{{B64(100)}}"}"""));
            Send(false, TcpConnection.Mss, Frame($$"""{"type":"auth_response","ct":"{{B64(60)}}"}"""));
            Send(true, 64, Frame($$"""{"type":"dh_client","phase":"chat","group":"ffdhe2048","A":"{{B64(256)}}","sig":"{{B64(256)}}"}"""));
            Send(false, TcpConnection.Mss, Frame($$"""{"type":"dh_server","phase":"chat","group":"ffdhe2048","B":"{{B64(256)}}","sig":"{{B64(256)}}"}"""));
        }

        /// <summary>One write of <paramref name="frames"/> (concatenated), cut into segments of <paramref name="mss"/> bytes.</summary>
        public void Send(bool fromClient, int mss, params byte[][] frames) =>
            Write(_tcp.Send(fromClient, frames.SelectMany(f => f).ToArray(), mss));

        public void Dispose()
        {
            Write(_tcp.Close());
            _writer.Dispose();
        }

        private void Write(IReadOnlyList<byte[]> packets)
        {
            foreach (var packet in packets)
            {
                _time = _time.AddMilliseconds(1);
                _writer.WritePacket(_time, packet);
            }
        }
    }
}
