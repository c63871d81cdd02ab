using System.Text;
using SecureChat.Evidence;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>Bad input from a logged-in client (protocol §1, §4.5, §5): its error code and a close, nothing of it
/// relayed or written, the lines before it intact, and an honest pair on the same server unaffected.</summary>
public sealed class MidSessionInputTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Password = "correct horse battery";
    private static int _users;

    private RunningServer Server => shared.Server;

    public static TheoryData<string, string> Cases => new()
    {
        { "text one byte over 16 KiB", "PROTOCOL_ERROR" },
        { "frame over 64 KiB", "FRAME_TOO_LARGE" },
        { "invalid JSON", "PROTOCOL_ERROR" },
        { "a second hello", "PROTOCOL_ERROR" },
        { "auth_request after login", "PROTOCOL_ERROR" },
        { "seqno repeated", "REPLAY" },
        { "seqno skipping one", "SEQ_GAP" },
        { "timestamp ten minutes ahead", "STALE" },
        { "timestamp one second off", "SIG_FAIL" },
        { "commitment altered", "SIG_FAIL" },
        { "signature of another message", "SIG_FAIL" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_after_login_gets_its_code_and_nothing_of_it_is_relayed_or_written(string input, string code)
    {
        await using var pair = await HonestPair.StartAsync(Server);
        var n = Interlocked.Increment(ref _users);

        // A sender that may seal texts beyond the limit, to see that the server enforces it.
        await using var offender = await RawSession.ConnectAsync(Server.Port, settings: new ProtocolSettings { MaxTextBytes = 64 * 1024, MaxRelayablePlaintextBytes = 64 * 1024 });
        await offender.RegisterAsync($"mid{n}@example.org", $"mid{n}", Password);

        // One good message first: relayed, and written to the server's transcript.
        var (good, goodFrame) = offender.Seal($"good message from mid{n}");
        await offender.Raw.WriteAsync(goodFrame);
        await pair.WaitForTextAsync(pair.A, $"good message from mid{n}");

        await offender.Raw.WriteAsync(BadFrame(input, offender, goodFrame));
        await offender.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCodes.FromWire(code), skipMessages: true);
        await Eventually.TrueAsync(() => !Server.Server.Runtime.Room.Usernames.Contains($"mid{n}"), "the offender's session is gone");

        await pair.ChatAsync();
        Assert.Single(pair.ReceivedBy(pair.A), m => m.From == $"mid{n}");
        Assert.Single(pair.ReceivedBy(pair.B), m => m.From == $"mid{n}");
        await pair.FinishAsync();

        var lines = await ServerTranscript.ReadAsync(Server, offender.SessionId);
        var c2s = Assert.Single(lines.OfType<TranscriptMessageLine>(), l => l.Dir == "c2s");
        Assert.Equal(TranscriptJson.ToLine(Direction.ClientToServer, good, null), c2s);
        Assert.Empty(lines.OfType<TranscriptReceiptLine>());
        await Eventually.NoSessionsLeftAsync(Server);
    }

    private static byte[] BadFrame(string input, RawSession offender, byte[] goodFrame)
    {
        switch (input)
        {
            case "text one byte over 16 KiB":
                return offender.Seal(new string('x', (16 * 1024) + 1)).Frame;
            case "frame over 64 KiB":
                return RawClient.Frame(Encoding.UTF8.GetBytes($"{{\"type\":\"msg\",\"pad\":\"{new string('x', 70_000)}\"}}"));
            case "invalid JSON":
                return RawClient.Frame("{\"type\":\"msg\",\"seqno\":2,"u8);
            case "a second hello":
                return MessageCodec.EncodeFrame(new HelloMessage { Version = 1, ClientCert = "x", Nonce = Convert.ToBase64String(new byte[32]) });
            case "auth_request after login":
                return MessageCodec.EncodeFrame(new AuthRequestMessage { Ct = Convert.ToBase64String(new byte[48]) });
            case "seqno repeated":
                return goodFrame;
            case "seqno skipping one":
                _ = offender.Seal("withheld");
                return offender.Seal("skips the withheld one").Frame;
            case "timestamp ten minutes ahead":
                var ahead = offender.Seal("from the future").Message;
                return MessageCodec.EncodeFrame(ahead with { Ts = ahead.Ts + 600_000 });
            case "timestamp one second off":
                var off = offender.Seal("retimed").Message;
                return MessageCodec.EncodeFrame(off with { Ts = off.Ts - 1000 });
            case "commitment altered":
                var message = offender.Seal("recommitted").Message;
                var commit = Convert.FromBase64String(message.Commit);
                commit[0] ^= 0x80;
                return MessageCodec.EncodeFrame(message with { Commit = Convert.ToBase64String(commit) });
            case "signature of another message":
                var first = offender.Seal("first").Message;
                var second = offender.Seal("second").Message;
                return MessageCodec.EncodeFrame(second with { Seqno = first.Seqno, Ts = first.Ts, Ct = first.Ct, Commit = first.Commit, Sig = second.Sig });
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "unknown case");
        }
    }
}
