namespace SecureChat.Protocol.Tests;

/// <summary><see cref="ProtocolEndpoint.ReceiveAll"/>: frames read together are judged one by one, exactly as if
/// they had come apart; the accepted ones before a refused frame stay accepted.</summary>
public sealed class ReceiveAllTests
{
    [Fact]
    public void Frames_received_together_are_all_accepted_in_order()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var frames = new[] { "one", "two", "three" }.SelectMany(t => pair.Client.SendText(t).Frames).ToList();

        var batch = pair.Server.ReceiveAll(frames);

        Assert.Null(batch.Failure);
        Assert.Equal(["one", "two", "three"], batch.Events.OfType<MessageReceived>().Select(m => m.Content.Text));
    }

    [Fact]
    public void A_replay_behind_a_good_message_fails_after_the_good_one_is_accepted()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var first = pair.Client.SendText("one").Frames.Single();
        var second = pair.Client.SendText("two").Frames.Single();

        var batch = pair.Server.ReceiveAll([first, second, second, pair.Client.SendText("three").Frames.Single()]);

        Assert.Equal(ProtocolErrorCode.Replay, batch.Failure?.Code);
        Assert.Equal(["one", "two"], batch.Events.OfType<MessageReceived>().Select(m => m.Content.Text));
        Assert.True(pair.Server.IsClosed);
    }

    [Fact]
    public void Nothing_after_the_receipts_is_taken()
    {
        using var pair = new ProtocolPair();
        pair.Handshake();
        var message = pair.Client.SendText("one").Frames.Single();
        var receipt = pair.Client.EndSession().Frames.Single();

        var batch = pair.Server.ReceiveAll([message, receipt, message]);

        Assert.Null(batch.Failure);
        Assert.Single(batch.Events.OfType<MessageReceived>());
        Assert.Single(batch.Events.OfType<SessionEnded>());
        Assert.True(pair.Server.IsClosed);
    }
}
