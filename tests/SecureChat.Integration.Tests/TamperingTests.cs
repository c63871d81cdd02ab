using SecureChat.Client;
using SecureChat.Evidence;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;

namespace SecureChat.Integration.Tests;

/// <summary>Protocol §4.5 against a man in the middle of an established session: an altered or replayed <c>msg</c>
/// gets its error code and a close, is never relayed, and never reaches the server's transcript.</summary>
public sealed class TamperingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_flipped_ciphertext_bit_is_sig_fail_and_nothing_of_it_is_written_or_relayed(long target)
    {
        await using var server = await RunningServer.StartAsync();
        await using var pair = await HonestPair.StartAsync(server);
        await using var proxy = new MitmProxy(server.Port, MitmAttack.FlipCiphertextBit, target);
        await using var victim = await ConnectThroughAsync(server, proxy, "victim");
        await SendGoodMessagesAsync(pair, victim, target - 1);

        await victim.SendAsync("this text will be altered on the wire");

        var error = await proxy.ServerError.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ProtocolErrorCode.SigFail.ToWire(), error.Code);
        await proxy.ServerClosed.WaitAsync(TimeSpan.FromSeconds(15));
        var ended = await victim.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ProtocolErrorCode.SigFail, ended.Error?.Code);
        await Eventually.TrueAsync(() => !server.Server.Runtime.Room.Usernames.Contains("victim"), "the victim's session is gone");

        await pair.ChatAsync();
        AssertNeverRelayed(pair, "this text will be altered on the wire");
        await pair.FinishAsync();

        var tampered = await proxy.Attacked;
        var lines = await CheckVictimTranscriptAsync(server, victim, goodUpTo: target - 1);
        Assert.DoesNotContain(lines.OfType<TranscriptMessageLine>(), l => l.Ct == tampered.Ct);
        await Eventually.NoSessionsLeftAsync(server);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_replayed_msg_frame_is_replay_and_is_relayed_and_written_only_once(long target)
    {
        await using var server = await RunningServer.StartAsync();
        await using var pair = await HonestPair.StartAsync(server);
        await using var proxy = new MitmProxy(server.Port, MitmAttack.Duplicate, target);
        await using var victim = await ConnectThroughAsync(server, proxy, "victim");
        await SendGoodMessagesAsync(pair, victim, target - 1);

        await victim.SendAsync("this message will be sent twice");

        var error = await proxy.ServerError.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ProtocolErrorCode.Replay.ToWire(), error.Code);
        await proxy.ServerClosed.WaitAsync(TimeSpan.FromSeconds(15));
        var ended = await victim.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(ProtocolErrorCode.Replay, ended.Error?.Code);

        // The original passed every check and was relayed; its copy was not. A copy would have been queued before
        // anything the pair sends from now on, so it would show up before the next round ends.
        await pair.ChatAsync();
        Assert.Single(pair.ReceivedBy(pair.A), m => m.Text == "this message will be sent twice");
        Assert.Single(pair.ReceivedBy(pair.B), m => m.Text == "this message will be sent twice");
        await pair.FinishAsync();

        var lines = await CheckVictimTranscriptAsync(server, victim, goodUpTo: target);
        var original = await proxy.Attacked;
        Assert.Single(lines.OfType<TranscriptMessageLine>(), l => l.Ct == original.Ct);
        await Eventually.NoSessionsLeftAsync(server);
    }

    private static async Task<ChatClient> ConnectThroughAsync(RunningServer server, MitmProxy proxy, string name)
    {
        var client = await ChatClient.ConnectAsync("127.0.0.1", proxy.Port, server.ClientOptions(name));
        var response = await client.RegisterAsync($"{name}@example.org", name, "correct horse battery");
        Assert.True(response.Ok, response.Message);
        return client;
    }

    /// <summary>The victim sends <paramref name="count"/> untouched messages first, and the pair sees each of them,
    /// so the victim's server transcript has earlier lines (both directions) that must survive the attack.</summary>
    private static async Task SendGoodMessagesAsync(HonestPair pair, ChatClient victim, long count)
    {
        await pair.ChatAsync();
        for (var i = 1; i <= count; i++)
        {
            await victim.SendAsync($"untouched message {i}");
            await pair.WaitForTextAsync(pair.A, $"untouched message {i}");
            await pair.WaitForTextAsync(pair.B, $"untouched message {i}");
        }
    }

    private static void AssertNeverRelayed(HonestPair pair, string text)
    {
        Assert.DoesNotContain(pair.ReceivedBy(pair.A), m => m.Text == text);
        Assert.DoesNotContain(pair.ReceivedBy(pair.B), m => m.Text == text);
    }

    /// <summary>The victim's server transcript parses line by line, holds exactly messages 1..<paramref name="goodUpTo"/>
    /// from the victim, each equal to the client's own line, every server line the client saw, and no receipt.</summary>
    private static async Task<List<TranscriptRecord>> CheckVictimTranscriptAsync(RunningServer server, ChatClient victim, long goodUpTo)
    {
        var lines = await ServerTranscript.ReadAsync(server, victim.SessionId!);
        var serverMessages = lines.OfType<TranscriptMessageLine>().ToList();
        var clientMessages = (await ServerTranscript.ReadFileAsync(victim.TranscriptPath!))
            .OfType<TranscriptMessageLine>().Select(m => m with { Plaintext = null }).ToList();

        var c2s = serverMessages.Where(m => m.Dir == "c2s").ToList();
        Assert.Equal(Enumerable.Range(1, (int)goodUpTo).Select(i => (long)i), c2s.Select(m => m.Seqno));
        Assert.Equal(clientMessages.Where(m => m.Dir == "c2s").Take((int)goodUpTo), c2s);

        // The server may have sent notices the client never got to read; what the client read must match.
        var clientS2c = clientMessages.Where(m => m.Dir == "s2c").ToList();
        Assert.NotEmpty(clientS2c);
        Assert.Equal(clientS2c, serverMessages.Where(m => m.Dir == "s2c").Take(clientS2c.Count));
        Assert.Empty(lines.OfType<TranscriptReceiptLine>());
        return lines;
    }
}
