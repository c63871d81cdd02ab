using SecureChat.Evidence;
using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.TestSupport.EvilPeer;

namespace SecureChat.Integration.Tests;

/// <summary>The evil client against the real server: lies a raw frame cannot tell (a properly signed invalid DH value,
/// a properly signed lying receipt) get their code, and an honest pair on the same server is not disturbed.</summary>
public sealed class EvilClientTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static int _users;

    private RunningServer Server => shared.Server;

    public static TheoryData<string> InvalidDhValues => [.. DhValues.InvalidNames];

    [Theory]
    [MemberData(nameof(InvalidDhValues))]
    public async Task Signed_but_invalid_client_dh_value_is_bad_dh_and_others_keep_chatting(string value)
    {
        await using var pair = await HonestPair.StartAsync(Server);
        await using var evil = await EvilClient.ConnectAsync(Server.Port,
            new EvilPlan().At("dh_client", 1, Lies.SignedDhValue($"A = {value}", DhValues.Invalid(value))));

        var outcome = await evil.Finished.WaitAsync(EvilSession.DefaultTimeout);

        Assert.True(outcome.Error is { IsRemote: true }, $"the server did not answer with an error ({outcome})");
        Assert.Equal(ProtocolErrorCode.BadDh, outcome.Error.Code);
        await pair.ChatAsync();
        await pair.FinishAsync();
    }

    [Fact]
    public async Task Lying_client_receipt_is_receipt_mismatch_and_is_not_recorded_by_the_server()
    {
        await using var pair = await HonestPair.StartAsync(Server);
        var n = Interlocked.Increment(ref _users);
        await using var evil = await EvilClient.ConnectAsync(Server.Port, new EvilPlan()
            .At("receipt", Lies.SignedReceipt("zero hash", r => r with { TranscriptSha256 = new string('0', 64) })));
        var response = await evil.RegisterAsync($"liar{n}@example.org", $"liar{n}", ClientUnderAttack.Password);
        Assert.True(response is { Ok: true }, $"registration failed: {response?.Code}");
        await evil.SayAsync("signed and then denied");
        await pair.WaitForTextAsync(pair.A, "signed and then denied");

        await evil.EndAsync();

        var outcome = await evil.Finished.WaitAsync(EvilSession.DefaultTimeout);
        Assert.True(outcome.Error is { IsRemote: true }, $"the server did not answer with an error ({outcome})");
        Assert.Equal(ProtocolErrorCode.ReceiptMismatch, outcome.Error.Code);
        await pair.ChatAsync();
        await pair.FinishAsync();

        var lines = await ServerTranscript.ReadAsync(Server, Convert.ToHexStringLower(evil.Protocol.Chat!.SessionId));
        Assert.Single(lines.OfType<TranscriptMessageLine>(), l => l.Dir == "c2s");
        Assert.DoesNotContain(lines.OfType<TranscriptReceiptLine>(), r => r.Peer == "client");
    }

    [Fact]
    public async Task Replay_in_the_same_write_as_a_good_message_relays_the_good_one_then_fails_with_replay()
    {
        await using var pair = await HonestPair.StartAsync(Server);
        var n = Interlocked.Increment(ref _users);

        // Message 2 and its copy leave in one write, so the server reads them in one batch: the good one must be
        // recorded and relayed before the copy fails the session.
        await using var evil = await EvilClient.ConnectAsync(Server.Port, new EvilPlan().At("msg", 2, Deviation.Duplicate));
        var response = await evil.RegisterAsync($"copier{n}@example.org", $"copier{n}", ClientUnderAttack.Password);
        Assert.True(response is { Ok: true }, $"registration failed: {response?.Code}");
        await evil.SayAsync("first, once");
        await evil.SayAsync("second, twice");

        var outcome = await evil.Finished.WaitAsync(EvilSession.DefaultTimeout);
        Assert.True(outcome.Error is { IsRemote: true }, $"the server did not answer with an error ({outcome})");
        Assert.Equal(ProtocolErrorCode.Replay, outcome.Error.Code);
        await pair.WaitForTextAsync(pair.A, "second, twice");
        await pair.ChatAsync();
        await pair.FinishAsync();

        var lines = await ServerTranscript.ReadAsync(Server, Convert.ToHexStringLower(evil.Protocol.Chat!.SessionId));
        Assert.Equal([1L, 2L], lines.OfType<TranscriptMessageLine>().Where(l => l.Dir == "c2s").Select(l => l.Seqno));
    }

    [Fact]
    public async Task Group_in_dh_client_rewritten_to_another_accepted_group_is_sig_fail()
    {
        await using var pair = await HonestPair.StartAsync(Server);

        // ffdhe3072 is accepted by the server too, so only the signature over the group can tell.
        await using var evil = await EvilClient.ConnectAsync(Server.Port, new EvilPlan().At("dh_client", 1,
            Deviation.EditJson("ffdhe2048 -> ffdhe3072", json => json.Replace("\"ffdhe2048\"", "\"ffdhe3072\"", StringComparison.Ordinal))));

        var outcome = await evil.Finished.WaitAsync(EvilSession.DefaultTimeout);

        Assert.True(outcome.Error is { IsRemote: true }, $"the server did not answer with an error ({outcome})");
        Assert.Equal(ProtocolErrorCode.SigFail, outcome.Error.Code);
        await pair.ChatAsync();
        await pair.FinishAsync();
    }

    [Fact]
    public async Task Message_of_another_live_session_injected_is_sig_fail_even_with_the_same_certificate()
    {
        await using var pair = await HonestPair.StartAsync(Server);
        var n = Interlocked.Increment(ref _users);
        await using var first = await EvilClient.ConnectAsync(Server.Port);
        Assert.True(await first.RegisterAsync($"first{n}@example.org", $"first{n}", ClientUnderAttack.Password) is { Ok: true });
        await first.SayAsync("said in the first session");
        await pair.WaitForTextAsync(pair.A, "said in the first session");

        // Both sessions use the same client certificate, so only the session id inside the signature differs.
        await using var second = await EvilClient.ConnectAsync(Server.Port);
        Assert.True(await second.RegisterAsync($"second{n}@example.org", $"second{n}", ClientUnderAttack.Password) is { Ok: true });
        await second.SendRawAsync(first.Context.SentEarlier("msg"));

        var outcome = await second.Finished.WaitAsync(EvilSession.DefaultTimeout);
        Assert.True(outcome.Error is { IsRemote: true }, $"the server did not answer with an error ({outcome})");
        Assert.Equal(ProtocolErrorCode.SigFail, outcome.Error.Code);
        Assert.False(first.Finished.IsCompleted, "the first session was disturbed");
        await pair.ChatAsync();
        await pair.FinishAsync();
    }
}
