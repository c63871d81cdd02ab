using SecureChat.Client;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.TestSupport.EvilPeer;

namespace SecureChat.Integration.Tests;

/// <summary>The real client against a server that deviates once the chat phase is established (protocol §9, §10):
/// the client ends with the exact code, delivers and records nothing of the bad frame, tells the server why when it
/// still can, and keeps a transcript that is exactly the honest prefix and passes the auditor.</summary>
public sealed class EvilServerChatTests
{
    private static readonly string[] Texts = ["one", "two", "three"];

    /// <summary>Deviations of the server's three messages: the plan, the client's code, how many messages the client
    /// delivers before it, and whether the client can still tell the server (null: not assertable, see
    /// <see cref="EvilServerHandshakeTests"/>).</summary>
    public static TheoryData<string> MessageDeviations => [.. Deviations.Keys];

    private static readonly Dictionary<string, (EvilPlan Plan, ProtocolErrorCode Code, int Delivered, bool? Told)> Deviations = new()
    {
        ["msg 3 replaced by a replay of msg 1"] = (Msg(3, Deviation.ReplayEarlier("msg", 1)), ProtocolErrorCode.Replay, 2, true),
        ["msg 2 duplicated"] = (Msg(2, Deviation.Duplicate), ProtocolErrorCode.Replay, 2, true),
        ["msg 2 and 3 swapped"] = (Msg(2, Deviation.HoldForNext), ProtocolErrorCode.SeqGap, 1, true),
        ["msg 2 deleted"] = (Msg(2, Deviation.Drop), ProtocolErrorCode.SeqGap, 1, true),
        ["seqno 2 flipped to 3"] = (Msg(2, Deviation.FlipBit("seqno", 0)), ProtocolErrorCode.SeqGap, 1, true),
        ["seqno 2 flipped to 0"] = (Msg(2, Deviation.FlipBit("seqno", 1)), ProtocolErrorCode.Replay, 1, true),
        ["seqno high bit flipped"] = (Msg(2, Deviation.FlipBit("seqno", 62)), ProtocolErrorCode.SeqGap, 1, true),
        ["ts low bit flipped"] = (Msg(2, Deviation.FlipBit("ts", 0)), ProtocolErrorCode.SigFail, 1, true),
        ["ts bit 40 flipped"] = (Msg(2, Deviation.FlipBit("ts", 40)), ProtocolErrorCode.Stale, 1, true),
        ["ct bit flipped"] = (Msg(2, Deviation.FlipBit("ct", 100)), ProtocolErrorCode.SigFail, 1, true),
        ["commit bit flipped"] = (Msg(2, Deviation.FlipBit("commit", 7)), ProtocolErrorCode.SigFail, 1, true),
        ["sig bit flipped"] = (Msg(2, Deviation.FlipBit("sig", 300)), ProtocolErrorCode.SigFail, 1, true),
        ["zero-length frame"] = (Msg(2, Deviation.Replace("zero length", [0, 0, 0, 0])), ProtocolErrorCode.FrameTooLarge, 1, true),
        ["oversized frame"] = (Msg(2, Deviation.Replace("70 000 bytes", [0, 1, 0x11, 0x70, .. new byte[70_000]])), ProtocolErrorCode.FrameTooLarge, 1, null),
        ["frame cut in the middle, then closed"] = (Msg(2, Deviation.Truncate(60)), ProtocolErrorCode.ProtocolError, 1, false),
        ["invalid JSON"] = (Msg(2, Deviation.EditJson("trailing comma", json => json[..^1] + ",}")), ProtocolErrorCode.ProtocolError, 1, true),
        ["duplicate member"] = (Msg(2, Deviation.EditJson("seqno twice", json => json.Replace("\"seqno\":2", "\"seqno\":2,\"seqno\":2", StringComparison.Ordinal))), ProtocolErrorCode.ProtocolError, 1, true),
        ["seqno as a string"] = (Msg(2, Deviation.EditJson("seqno string", json => json.Replace("\"seqno\":2", "\"seqno\":\"2\"", StringComparison.Ordinal))), ProtocolErrorCode.ProtocolError, 1, true),
        ["unknown type"] = (Msg(2, Deviation.EditJson("type", json => json.Replace("\"msg\"", "\"message\"", StringComparison.Ordinal))), ProtocolErrorCode.ProtocolError, 1, true),
        ["second server_hello"] = (Msg(2, Deviation.ReplayEarlier("server_hello")), ProtocolErrorCode.ProtocolError, 1, true),
        ["dh_server again"] = (Msg(2, Deviation.ReplayEarlier("dh_server", 2)), ProtocolErrorCode.ProtocolError, 1, true),
        ["connection reset"] = (Msg(2, Deviation.CloseAbruptly), ProtocolErrorCode.ProtocolError, 1, false),
    };

    [Theory]
    [MemberData(nameof(MessageDeviations))]
    public async Task Message_deviation_gets_its_code_and_leaves_the_honest_prefix_on_disk(string deviation)
    {
        var (plan, code, delivered, told) = Deviations[deviation];
        await using var attack = new ClientUnderAttack(plan);
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            foreach (var text in Texts)
            {
                await session.SayAsync(text);
            }

            await ClientUnderAttack.ExpectEndedAsync(client, code);
            Assert.Equal(Texts.Take(delivered), await DeliveredTextsAsync(client));
        }

        // After the client is gone, so that a server left waiting has seen the close.
        if (told == true)
        {
            await ClientUnderAttack.ExpectToldAsync(session, code);
        }
        else if (told == false)
        {
            await ClientUnderAttack.ExpectSilentAsync(session);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered);
    }

    public static TheoryData<int> ClockOffsetsInMinutes => new() { -10, 10 };

    [Theory]
    [MemberData(nameof(ClockOffsetsInMinutes))]
    public async Task Properly_signed_message_outside_the_clock_window_is_stale(int minutes)
    {
        await using var attack = new ClientUnderAttack();
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            await session.SayAsync("on time");
            await session.SayAsync("out of time", TimeSpan.FromMinutes(minutes));

            await ClientUnderAttack.ExpectEndedAsync(client, ProtocolErrorCode.Stale);
            Assert.Equal(["on time"], await DeliveredTextsAsync(client));
            await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.Stale);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 1);
    }

    [Fact]
    public async Task Clients_own_message_reflected_back_is_sig_fail()
    {
        await using var attack = new ClientUnderAttack();
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            await client.SendAsync("reflect me");
            var own = (await session.WaitForReceivedAsync("msg"))[0];

            await session.SendRawAsync(own.Bytes);

            await ClientUnderAttack.ExpectEndedAsync(client, ProtocolErrorCode.SigFail);
            Assert.Empty(await DeliveredTextsAsync(client));
            await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.SigFail);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 0, sent: 1);
    }

    [Fact]
    public async Task Clients_own_receipt_reflected_back_is_receipt_mismatch()
    {
        await using var attack = new ClientUnderAttack(new EvilPlan().At("receipt", Deviation.Drop));
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            var ending = client.EndAsync();
            var own = (await session.WaitForReceivedAsync("receipt"))[0];
            await session.SendRawAsync(own.Bytes);

            var ended = await ending;
            Assert.Equal(ProtocolErrorCode.ReceiptMismatch, ended.Error?.Code);
        }

        // The server side saw its session complete; it reads the client's error until the client is gone.
        await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.ReceiptMismatch);

        await attack.ExpectTranscriptIntactAsync(session, delivered: 0, clientReceipt: true);
    }

    public static TheoryData<string> ReceiptLies => [.. Receipts.Keys];

    private static readonly Dictionary<string, Deviation?> Receipts = new()
    {
        ["none (control: the honest receipt matches)"] = null,
        ["covers a message the client never sent"] = Lies.SignedReceipt("c2s + 1", r => r with { C2sLastSeq = r.C2sLastSeq + 1 }),
        ["counts one message less under the full hash"] = Lies.SignedReceipt("s2c - 1", r => r with { S2cLastSeq = r.S2cLastSeq - 1 }),
        ["hash of another transcript"] = Lies.SignedReceipt("zero hash", r => r with { TranscriptSha256 = new string('0', 64) }),
        ["names another session"] = Lies.SignedReceipt("zero session", r => r with { SessionId = new string('0', 32) }),
        ["signature bit flipped"] = Deviation.FlipBit("sig", 5),
        ["count changed after signing"] = Deviation.FlipBit("c2s_last_seq", 1),
        ["issued in the client's name"] = Deviation.EditJson("peer client", json => json.Replace("\"peer\":\"server\"", "\"peer\":\"client\"", StringComparison.Ordinal)),
    };

    [Theory]
    [MemberData(nameof(ReceiptLies))]
    public async Task Lying_server_receipt_is_receipt_mismatch_and_is_not_recorded(string lie)
    {
        var deviation = Receipts[lie];
        await using var attack = new ClientUnderAttack(deviation is null ? EvilPlan.Honest : new EvilPlan().At("receipt", deviation));
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            await session.SayAsync("one");
            Assert.Equal(["one"], await DeliveredTextsAsync(client, 1));
            await client.SendAsync("hi");
            await session.WaitForReceivedAsync("msg");

            var ended = await client.EndAsync();

            Assert.Equal(deviation is null, ended.ReceiptsMatched);
            Assert.Equal(deviation is null ? null : ProtocolErrorCode.ReceiptMismatch, ended.Error?.Code);
        }

        if (deviation is null)
        {
            await ClientUnderAttack.ExpectSilentAsync(session);
        }
        else
        {
            await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.ReceiptMismatch);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 1, sent: 1, clientReceipt: true, serverReceipt: deviation is null);
    }

    [Fact]
    public async Task Lying_receipt_that_ends_the_session_from_the_server_side_is_receipt_mismatch()
    {
        await using var attack = new ClientUnderAttack(new EvilPlan().At("receipt", Receipts["hash of another transcript"]!));
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            await session.SayAsync("one");
            await session.EndAsync();

            await ClientUnderAttack.ExpectEndedAsync(client, ProtocolErrorCode.ReceiptMismatch);
            await ClientUnderAttack.ExpectToldAsync(session, ProtocolErrorCode.ReceiptMismatch);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 1);
    }

    [Fact]
    public async Task Server_stalling_instead_of_its_receipt_ends_in_timeout_not_a_hang()
    {
        await using var attack = new ClientUnderAttack(new EvilPlan().At("receipt", Deviation.Stall));
        var (client, session) = await attack.LogInAsync();
        await using (client)
        {
            await session.SayAsync("one");
            Assert.Equal(["one"], await DeliveredTextsAsync(client, 1));

            var ended = await client.EndAsync().WaitAsync(EvilSession.DefaultTimeout);

            Assert.False(ended.ReceiptsMatched);
            Assert.Equal(ProtocolErrorCode.Timeout, ended.Error?.Code);
            Assert.Equal(ProtocolErrorCode.Timeout, (await client.Completion.WaitAsync(EvilSession.DefaultTimeout)).Error?.Code);
        }

        await attack.ExpectTranscriptIntactAsync(session, delivered: 1, clientReceipt: true);
    }

    private static EvilPlan Msg(int occurrence, Deviation deviation) => new EvilPlan().At("msg", occurrence, deviation);

    /// <summary>The chat texts the client delivered, in order: all of them until the session ended, or the first
    /// <paramref name="count"/>.</summary>
    private static async Task<List<string>> DeliveredTextsAsync(ChatClient client, int? count = null)
    {
        using var cts = new CancellationTokenSource(EvilSession.DefaultTimeout);
        var texts = new List<string>();
        while (count is null || texts.Count < count)
        {
            var e = await client.Events.ReadAsync(cts.Token);
            if (e is ChatMessageReceived m)
            {
                texts.Add(m.Text);
            }
            else if (e is ChatEnded)
            {
                break;
            }
        }

        return texts;
    }
}
