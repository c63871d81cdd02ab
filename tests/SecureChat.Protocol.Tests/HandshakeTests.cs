using System.Text;
using SecureChat.Protocol.Messages;

namespace SecureChat.Protocol.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public void Full_session_agrees_on_keys_messages_and_receipts()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();

        Assert.NotNull(pair.Client.Chat);
        Assert.NotNull(pair.Server.Chat);
        Assert.Equal(pair.Client.Chat!.SessionId.ToArray(), pair.Server.Chat!.SessionId.ToArray());
        Assert.Equal(pair.Client.Handshake.CurrentHash, pair.Server.Handshake.CurrentHash);
        Assert.Equal(8, pair.Client.Handshake.Frames.Count); // hello .. dh_server chat
        Assert.Single(pair.ClientEvents.OfType<SessionEstablished>());
        Assert.Single(pair.ServerEvents.OfType<SessionEstablished>());

        pair.Deliver(toServer: true, pair.Client.SendText("hello server"));
        pair.Deliver(toServer: false, pair.Server.SendText("hello client"));
        pair.Deliver(toServer: true, pair.Client.SendText("second"));

        var atServer = pair.ServerEvents.OfType<MessageReceived>().Select(m => m.Content.Text).ToArray();
        var atClient = pair.ClientEvents.OfType<MessageReceived>().Select(m => m.Content.Text).ToArray();
        Assert.Equal(["hello server", "second"], atServer);
        Assert.Equal(["hello client"], atClient);

        pair.Deliver(toServer: true, pair.Client.EndSession());
        Assert.True(pair.Client.IsClosed);
        Assert.True(pair.Server.IsClosed);
        var clientReceipt = pair.ClientEvents.OfType<ReceiptSent>().Single().Receipt;
        var serverReceipt = pair.ServerEvents.OfType<ReceiptSent>().Single().Receipt;
        Assert.Equal(clientReceipt.TranscriptSha256, serverReceipt.TranscriptSha256);
        Assert.Equal((2, 1), (clientReceipt.C2sLastSeq, clientReceipt.S2cLastSeq));
        Assert.Single(pair.ClientEvents.OfType<ReceiptReceived>());
        Assert.Single(pair.ServerEvents.OfType<SessionEnded>());
    }

    [Fact]
    public void Wire_carries_no_plaintext_or_password()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Deliver(toServer: true, pair.Client.SendText("the eagle lands at midnight"));
        var everything = Encoding.UTF8.GetString(pair.Wire.SelectMany(w => w.Frame).ToArray());
        Assert.DoesNotContain("correct horse", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.org", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("eagle", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_login_may_be_retried_then_auth_failed_after_the_third()
    {
        var failures = 0;
        using var pair = new ProtocolPair(authenticate: _ =>
        {
            failures++;
            return new AuthResponsePlaintext { Ok = false, Code = AuthCodes.InvalidCredentials, Message = "invalid e-mail or password" };
        });
        pair.Deliver(toServer: true, pair.Client.Start());
        pair.Deliver(toServer: true, pair.Client.SubmitCredentials(ProtocolPair.Login));
        Assert.True(pair.Client.CanSubmitCredentials);
        pair.Deliver(toServer: true, pair.Client.SubmitCredentials(ProtocolPair.Login));
        var e = Assert.Throws<ProtocolException>(() => pair.Deliver(toServer: true, pair.Client.SubmitCredentials(ProtocolPair.Login)));
        Assert.Equal(ProtocolErrorCode.AuthFailed, e.Code);
        Assert.True(e.IsRemote);
        Assert.Equal(3, failures);
        Assert.Equal(3, pair.ClientEvents.OfType<AuthResponseReceived>().Count(r => !r.Response.Ok));
        Assert.True(pair.Server.IsClosed);
    }

    [Fact]
    public void Both_sides_may_end_at_once()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Deliver(toServer: true, pair.Client.SendText("x"));
        var fromClient = pair.Client.EndSession();
        var fromServer = pair.Server.EndSession();
        pair.Deliver(toServer: true, fromClient);
        pair.Deliver(toServer: false, fromServer);
        Assert.True(pair.Client.IsClosed && pair.Server.IsClosed);
        Assert.Single(pair.ClientEvents.OfType<ReceiptSent>());
        Assert.Single(pair.ServerEvents.OfType<ReceiptSent>());
    }

    [Fact]
    public void Message_in_flight_after_own_receipt_is_still_accepted()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var clientReceipt = pair.Client.EndSession();
        var serverMessage = pair.Server.SendText("crossing");
        pair.Deliver(toServer: false, serverMessage);
        pair.Deliver(toServer: true, clientReceipt);
        Assert.Equal("crossing", pair.ClientEvents.OfType<MessageReceived>().Single().Content.Text);
        Assert.True(pair.Client.IsClosed);
    }

    [Fact]
    public void No_message_may_be_sent_after_own_receipt()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        pair.Client.EndSession();
        Assert.Throws<InvalidOperationException>(() => pair.Client.SendText("late"));
    }

    [Fact]
    public void Text_that_cannot_fit_a_frame_is_refused_without_using_a_seqno()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var refused = pair.Client.SendText(new string('\u0001', 16384));
        Assert.Equal(SendRefusal.FrameTooLarge, refused.Refused?.Reason);
        Assert.Empty(refused.Frames);
        pair.Deliver(toServer: true, pair.Client.SendText("next"));
        Assert.Equal(1, pair.ServerEvents.OfType<MessageReceived>().Single().Message.Seqno);
    }

    [Theory]
    [InlineData(true, "INVALID_CREDENTIALS")]
    [InlineData(false, "OK")]
    [InlineData(false, "SOMETHING_ELSE")]
    public void Auth_response_with_an_unknown_or_contradictory_code_is_protocol_error(bool ok, string code)
    {
        using var pair = new ProtocolPair(authenticate: _ => new AuthResponsePlaintext { Ok = ok, Code = code });
        var e = Assert.Throws<ProtocolException>(pair.Handshake);
        Assert.Equal(ProtocolErrorCode.ProtocolError, e.Code);
    }
}
