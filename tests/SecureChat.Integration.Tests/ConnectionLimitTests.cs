using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>Beyond MaxConnections new connections get <c>SERVER_BUSY</c> and are closed; the sessions already
/// open are untouched, and once the flood is over the server takes new clients again.</summary>
public sealed class ConnectionLimitTests
{
    private const int Limit = 3;
    private const int Flood = 12;

    [Fact]
    public async Task Connections_beyond_the_limit_get_server_busy_and_the_server_recovers_after_the_flood()
    {
        await using var server = await RunningServer.StartAsync(o => o.MaxConnections = Limit);
        await using var pair = await HonestPair.StartAsync(server);

        // The last free slot goes to a connection that never says anything, so the limit is reached for certain.
        await using var occupier = await RawClient.ConnectAsync(server.Port);
        await Eventually.TrueAsync(() => server.Server.Runtime.Connections == Limit, "the occupier is counted");

        var flood = new List<RawClient>();
        try
        {
            for (var i = 0; i < Flood; i++)
            {
                flood.Add(await RawClient.ConnectAsync(server.Port));
            }

            // Half of them say hello at once, as a real client would, before reading the refusal.
            var hello = MessageCodec.EncodeFrame(new HelloMessage
            {
                Version = 1,
                ClientCert = TestPki.Client.ExportCertificatePem(),
                Nonce = Convert.ToBase64String(new byte[32]),
            });
            foreach (var c in flood.Where((_, i) => i % 2 == 0))
            {
                await c.WriteAsync(hello);
            }

            await Task.WhenAll(flood.Select(c => c.ExpectErrorThenCloseAsync(ProtocolErrorCode.ServerBusy)));
            Assert.Equal(Limit, server.Server.Runtime.Connections);

            // The sessions that were already open never noticed.
            await pair.ChatAsync();
        }
        finally
        {
            foreach (var c in flood)
            {
                await c.DisposeAsync();
            }
        }

        // The flood is over: the slot held by the silent connection is freed and a new user gets in and chats.
        await occupier.DisposeAsync();
        await Eventually.TrueAsync(() => server.Server.Runtime.Connections == Limit - 1, "the occupier's slot is freed");
        await using (var late = await server.RegisterAsync("latecomer"))
        {
            await late.SendAsync("made it in after the flood");
            await pair.WaitForTextAsync(pair.A, "made it in after the flood");
            await pair.WaitForTextAsync(pair.B, "made it in after the flood");
            Assert.True((await late.EndAsync()).ReceiptsMatched);
        }

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }
}
