using SecureChat.Crypto;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests;

/// <summary>One test per attack: each shows the check of protocol §4 that stops it and its error code.</summary>
public sealed class AttackTests
{
    private static ProtocolException Fails(Action action) => Assert.Throws<ProtocolException>(action);

    private static string OtherDhValue() =>
        Convert.ToBase64String(DhKeyPair.Generate(DhGroup.Ffdhe2048, IEntropySource.System).PublicValue);

    [Theory]
    [InlineData(DhPhase.Auth)]
    [InlineData(DhPhase.Chat)]
    public void Mitm_substituting_the_client_dh_value_is_sig_fail(DhPhase phase)
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<DhClientMessage>(toServer: true, m => m with { A = OtherDhValue() }, m => DhPhases.Is(m.Phase, phase));
        var e = Fails(pair.Handshake);
        Assert.Equal(ProtocolErrorCode.SigFail, e.Code);
        Assert.False(e.IsRemote);
        Assert.Null(pair.Server.Chat);
    }

    [Theory]
    [InlineData(DhPhase.Auth)]
    [InlineData(DhPhase.Chat)]
    public void Mitm_substituting_the_server_dh_value_is_sig_fail_before_credentials_leave(DhPhase phase)
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<DhServerMessage>(toServer: false, m => m with { B = OtherDhValue() }, m => DhPhases.Is(m.Phase, phase));
        var e = Fails(pair.Handshake);
        Assert.Equal(ProtocolErrorCode.SigFail, e.Code);
        if (phase == DhPhase.Auth)
        {
            Assert.DoesNotContain(pair.Wire, w => w.ToServer && Tamper.Decode(w.Frame) is AuthRequestMessage);
        }
    }

    [Fact]
    public void Handshake_replayed_from_a_recording_is_sig_fail()
    {
        using var recorded = new ProtocolPair();
        recorded.Handshake();
        var clientFrames = recorded.Wire.Where(w => w.ToServer).Select(w => w.Frame).ToList();

        // A fresh server picks a fresh nonce, so the recorded client's DH signature covers the wrong TH.
        using var fresh = new ProtocolPair();
        fresh.Server.Receive(clientFrames[0]);
        var e = Fails(() => fresh.Server.Receive(clientFrames[1]));
        Assert.Equal(ProtocolErrorCode.SigFail, e.Code);
    }

    [Fact]
    public void Replayed_message_is_replay()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var first = pair.Client.SendText("pay 10");
        pair.Deliver(toServer: true, first);
        Assert.Equal(ProtocolErrorCode.Replay, Fails(() => pair.Server.Receive(first.Frames[0])).Code);
        Assert.Single(pair.ServerEvents.OfType<MessageReceived>());
    }

    [Fact]
    public void Reordered_messages_are_seq_gap()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var first = pair.Client.SendText("one");
        var second = pair.Client.SendText("two");
        Assert.Equal(ProtocolErrorCode.SeqGap, Fails(() => pair.Server.Receive(second.Frames[0])).Code);
        Assert.Empty(pair.ServerEvents.OfType<MessageReceived>());
        _ = first;
    }

    [Fact]
    public void Dropped_message_is_seq_gap()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Deliver(toServer: true, pair.Client.SendText("one"));
        _ = pair.Client.SendText("two (dropped)");
        Assert.Equal(ProtocolErrorCode.SeqGap, Fails(() => pair.Deliver(toServer: true, pair.Client.SendText("three"))).Code);
    }

    [Fact]
    public void Renumbered_message_after_a_drop_is_sig_fail()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        _ = pair.Client.SendText("one (dropped)");
        var second = (ChatMessage)Tamper.Decode(pair.Client.SendText("two").Frames[0]);
        Assert.Equal(ProtocolErrorCode.SigFail, Fails(() => pair.Server.Receive(Tamper.Encode(second with { Seqno = 1 }))).Code);
    }

    public static TheoryData<string, ProtocolErrorCode> FlippedFields => new()
    {
        { "seqno-low", ProtocolErrorCode.Replay },
        { "seqno-high", ProtocolErrorCode.SeqGap },
        { "ts", ProtocolErrorCode.SigFail },
        { "ct", ProtocolErrorCode.SigFail },
        { "ct-tag", ProtocolErrorCode.SigFail },
        { "commit", ProtocolErrorCode.SigFail },
        { "sig", ProtocolErrorCode.SigFail },
    };

    [Theory]
    [MemberData(nameof(FlippedFields))]
    public void Flipped_bit_in_a_message_field_is_refused(string field, ProtocolErrorCode expected)
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var message = (ChatMessage)Tamper.Decode(pair.Client.SendText("attack at dawn").Frames[0]);
        var tampered = field switch
        {
            "seqno-low" => message with { Seqno = message.Seqno ^ 1 },
            "seqno-high" => message with { Seqno = message.Seqno ^ 2 },
            "ts" => message with { Ts = message.Ts ^ 1 },
            "ct" => message with { Ct = Tamper.FlipBase64(message.Ct, 3) },
            "ct-tag" => message with { Ct = Tamper.FlipBase64(message.Ct, (Convert.FromBase64String(message.Ct).Length * 8) - 1) },
            "commit" => message with { Commit = Tamper.FlipBase64(message.Commit, 7) },
            _ => message with { Sig = Tamper.FlipBase64(message.Sig, 100) },
        };
        Assert.Equal(expected, Fails(() => pair.Server.Receive(Tamper.Encode(tampered))).Code);
        Assert.Empty(pair.ServerEvents.OfType<MessageReceived>());
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public void Stale_or_future_timestamp_is_stale(int minutes)
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var message = pair.Client.SendText("old news");
        pair.Clock.Advance(TimeSpan.FromMinutes(-minutes));
        Assert.Equal(ProtocolErrorCode.Stale, Fails(() => pair.Server.Receive(message.Frames[0])).Code);
    }

    [Fact]
    public void Reflected_server_message_is_refused()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var fromServer = pair.Server.SendText("reflect me");
        // Direction is bound into the signature, so the server's own message cannot pass as the client's.
        Assert.Equal(ProtocolErrorCode.SigFail, Fails(() => pair.Server.Receive(fromServer.Frames[0])).Code);
    }

    [Fact]
    public void Message_before_login_is_protocol_error()
    {
        using var pair = new ProtocolPair();
        pair.Deliver(toServer: true, pair.Client.Start());
        var early = Tamper.Encode(new ChatMessage { Seqno = 1, Ts = 0, Ct = "AA==", Commit = "AA==", Sig = "AA==" });
        Assert.Equal(ProtocolErrorCode.ProtocolError, Fails(() => pair.Server.Receive(early)).Code);
    }

    [Fact]
    public void Second_hello_is_protocol_error()
    {
        using var pair = new ProtocolPair();
        var hello = pair.Client.Start();
        pair.Deliver(toServer: true, hello);
        Assert.Equal(ProtocolErrorCode.ProtocolError, Fails(() => pair.Server.Receive(hello.Frames[0])).Code);
    }

    [Fact]
    public void Unsupported_version_is_refused()
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<HelloMessage>(toServer: true, m => m with { Version = 2 });
        Assert.Equal(ProtocolErrorCode.UnsupportedVersion, Fails(pair.Handshake).Code);
    }

    [Fact]
    public void Auth_request_that_does_not_decrypt_is_decrypt_fail()
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<AuthRequestMessage>(toServer: true, m => m with { Ct = Tamper.FlipBase64(m.Ct, 5) });
        Assert.Equal(ProtocolErrorCode.DecryptFail, Fails(pair.Handshake).Code);
    }

    [Fact]
    public void Unknown_group_is_bad_dh()
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<DhClientMessage>(toServer: true, m => m with { Group = "ffdhe1024" });
        Assert.Equal(ProtocolErrorCode.BadDh, Fails(pair.Handshake).Code);
    }

    [Fact]
    public void Server_answering_in_another_group_is_bad_dh()
    {
        using var pair = new ProtocolPair();
        pair.Attacker = Tamper.Rewrite<DhServerMessage>(toServer: false, m => m with { Group = "ffdhe3072" });
        Assert.Equal(ProtocolErrorCode.BadDh, Fails(pair.Handshake).Code);
    }
}
