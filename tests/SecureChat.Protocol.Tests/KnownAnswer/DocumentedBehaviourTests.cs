using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests.KnownAnswer;

/// <summary>Pins the readings that docs/PROTOCOL.md §17 states, so the document and the code cannot drift apart.</summary>
public sealed class DocumentedBehaviourTests
{
    private static ProtocolErrorCode CodeOf(Action action) => Assert.Throws<ProtocolException>(action).Code;

    private static ChatMessage Decode(byte[] frame) => Assert.IsType<ChatMessage>(MessageCodec.DecodeFrame(frame));

    [Theory]
    [InlineData(300000, null)]
    [InlineData(-300000, null)]
    [InlineData(300001, ProtocolErrorCode.Stale)]
    [InlineData(-300001, ProtocolErrorCode.Stale)]
    public void Clock_skew_boundary_is_inclusive(long skewMs, ProtocolErrorCode? expected)
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var output = pair.Client.SendText("on time?");
        pair.Clock.Advance(TimeSpan.FromMilliseconds(skewMs));
        var error = Record.Exception(() => pair.Deliver(toServer: true, output));
        Assert.Equal(expected, (error as ProtocolException)?.Code);
    }

    [Fact]
    public void Encoding_errors_in_a_msg_are_checked_after_sequence_and_time_and_sig_errors_are_sig_fail()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var message = Decode(pair.Client.SendText("x").Frames[0]);

        Assert.Equal(ProtocolErrorCode.Replay, CodeOf(() => pair.Server.Receive(MessageCodec.EncodeFrame(message with { Seqno = 0, Ct = "!" }))));
        using var second = new ProtocolPair();
        second.Handshake();
        var other = Decode(second.Client.SendText("x").Frames[0]);
        Assert.Equal(ProtocolErrorCode.SigFail, CodeOf(() => second.Server.Receive(MessageCodec.EncodeFrame(other with { Sig = other.Sig.TrimEnd('=') }))));
        using var third = new ProtocolPair();
        third.Handshake();
        var another = Decode(third.Client.SendText("x").Frames[0]);
        Assert.Equal(ProtocolErrorCode.ProtocolError, CodeOf(() => third.Server.Receive(MessageCodec.EncodeFrame(another with { Ct = another.Ct + "\n" }))));
    }

    [Fact]
    public void Hello_version_is_checked_before_nonce_and_certificate()
    {
        using var pair = new ProtocolPair();
        var hello = new HelloMessage { Version = 2, ClientCert = "not a certificate", Nonce = "not base64" };
        Assert.Equal(ProtocolErrorCode.UnsupportedVersion, CodeOf(() => pair.Server.Receive(MessageCodec.EncodeFrame(hello))));
        using var again = new ProtocolPair();
        Assert.Equal(ProtocolErrorCode.ProtocolError, CodeOf(() => again.Server.Receive(MessageCodec.EncodeFrame(hello with { Version = 1 }))));
    }

    [Fact]
    public void Failed_attempts_are_hashed_and_the_auth_failed_error_is_not()
    {
        using var pair = new ProtocolPair(authenticate: _ => new AuthResponsePlaintext { Ok = false, Code = AuthCodes.InvalidCredentials });
        pair.Deliver(toServer: true, pair.Client.Start());
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var output = pair.Client.SubmitCredentials(ProtocolPair.Login);
            if (attempt < 3)
            {
                pair.Deliver(toServer: true, output);
                continue;
            }

            Assert.Equal(ProtocolErrorCode.AuthFailed, Assert.Throws<ProtocolException>(() => pair.Deliver(toServer: true, output)).Code);
        }

        // hello, server_hello, dh_client, dh_server, then three request/response pairs; no error frame.
        Assert.Equal(10, pair.Server.Handshake.Frames.Count);
        Assert.Equal(pair.Server.Handshake.CurrentHash, pair.Client.Handshake.CurrentHash);
        Assert.IsType<AuthResponseMessage>(MessageCodec.DecodeFrame(pair.Server.Handshake.Frames[^1]));

        // The server filled the absent username and message with empty strings.
        Assert.All(pair.ClientEvents.OfType<AuthResponseReceived>(), e => Assert.Equal(("", ""), (e.Response.Username, e.Response.Message)));
    }

    [Fact]
    public void Simultaneous_receipts_end_both_sides_without_a_second_receipt()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Deliver(toServer: true, pair.Client.SendText("one"));
        var fromClient = pair.Client.EndSession();
        var fromServer = pair.Server.EndSession();

        var atServer = pair.Server.Receive(fromClient.Frames.Single());
        var atClient = pair.Client.Receive(fromServer.Frames.Single());

        Assert.Empty(atServer.Frames);
        Assert.Empty(atClient.Frames);
        Assert.Contains(atServer.Events, e => e is SessionEnded);
        Assert.Contains(atClient.Events, e => e is SessionEnded);
        var clientReceipt = Assert.IsType<ReceiptMessage>(MessageCodec.DecodeFrame(fromClient.Frames[0]));
        Assert.Equal("client", clientReceipt.Peer);
    }

    [Fact]
    public void Messages_in_flight_after_own_receipt_are_accepted_and_nothing_after_the_peer_receipt()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var inFlight = pair.Server.SendText("late");
        var clientReceipt = pair.Client.EndSession();

        var received = pair.Client.Receive(inFlight.Frames[0]);
        Assert.Contains(received.Events, e => e is MessageReceived { Content.Text: "late" });

        var serverAnswer = pair.Server.Receive(clientReceipt.Frames[0]);
        var serverReceipt = Assert.IsType<ReceiptMessage>(MessageCodec.DecodeFrame(serverAnswer.Frames.Single()));
        Assert.Equal((0, 1), (serverReceipt.C2sLastSeq, serverReceipt.S2cLastSeq));
        pair.Client.Receive(serverAnswer.Frames[0]);

        Assert.Equal(ProtocolErrorCode.ProtocolError, CodeOf(() => pair.Client.Receive(inFlight.Frames[0])));
    }
}
