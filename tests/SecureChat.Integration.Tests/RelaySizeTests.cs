using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol.Session;

namespace SecureChat.Integration.Tests;

/// <summary>The relayable size (protocol §9.6.4): the author's client refuses locally, the server relays a v1 peer's
/// message, and a v1 peer (no <c>to</c>, ignoring <c>origin</c>)
/// still chats; nothing is dropped silently.</summary>
public sealed class RelaySizeTests
{
    [Fact]
    public async Task A_message_too_large_to_relay_is_refused_by_the_author_client_and_the_session_goes_on()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await server.RegisterAsync("alice");
        await using var bob = await server.RegisterAsync("bob");

        await Assert.ThrowsAsync<ArgumentException>(() => alice.SendAsync(new string('x', AuthorOrigin.MaxRelayablePlaintextBytes)));
        await alice.SendAsync("ping after");

        var received = await bob.ReceiveChatAsync(1);
        Assert.Equal("ping after", received[0].Text);
        Assert.True((await bob.EndAsync()).ReceiptsMatched);
        Assert.True((await alice.EndAsync()).ReceiptsMatched);
    }

    [Fact]
    public async Task A_v1_peer_without_to_is_relayed_with_its_origin()
    {
        await using var server = await RunningServer.StartAsync();
        await using var bob = await server.RegisterAsync("bob");
        await using var v1 = await RawSession.ConnectAsync(server.Port);
        await v1.RegisterAsync("old@example.org", "oldclient", "correct horse battery");

        // A v1 sender: no "to" (addressed to #lobby by default).
        await v1.Raw.WriteAsync(v1.Seal("small enough").Frame);

        var received = await bob.ReceiveChatAsync(1);
        Assert.Equal(("oldclient", "small enough", (ProofLevel?)ProofLevel.Server), (received[0].From, received[0].Text, received[0].Proof));
        Assert.True((await bob.EndAsync()).ReceiptsMatched);
    }
}
