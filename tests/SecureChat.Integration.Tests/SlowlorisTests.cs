using SecureChat.Integration.Tests.Infrastructure;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;

namespace SecureChat.Integration.Tests;

/// <summary>Protocol §5: the handshake must complete within its timeout from accept, however the bytes trickle in.</summary>
public sealed class SlowlorisTests
{
    [Fact]
    public async Task A_client_sending_one_byte_per_second_is_cut_at_the_handshake_timeout()
    {
        await using var server = await RunningServer.StartAsync(o => o.HandshakeTimeoutSeconds = 2);
        await using var pair = await HonestPair.StartAsync(server);

        // A real hello, so every byte is one the server must wait for: only the deadline can end this.
        var hello = MessageCodec.EncodeFrame(new HelloMessage
        {
            Version = 1,
            ClientCert = TestPki.Client.ExportCertificatePem(),
            Nonce = Convert.ToBase64String(new byte[32]),
        });
        await using var slow = await RawClient.ConnectAsync(server.Port);
        using var stopDripping = new CancellationTokenSource();
        var drip = Task.Run(async () =>
        {
            foreach (var b in hello)
            {
                try
                {
                    await slow.WriteAsync(new[] { b }, TimeSpan.FromSeconds(5));
                    await Task.Delay(TimeSpan.FromSeconds(1), stopDripping.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    return;
                }
            }
        });

        // The hello would take half an hour at this pace, and a byte arrives every second: only a deadline that
        // runs from accept (not from the last byte) can end it within the bound.
        await slow.ExpectErrorThenCloseAsync(ProtocolErrorCode.Timeout, TimeSpan.FromSeconds(15));
        await stopDripping.CancelAsync();
        await drip.WaitAsync(TimeSpan.FromSeconds(10));

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    [Fact]
    public async Task A_client_that_connects_and_sends_nothing_is_cut_at_the_handshake_timeout()
    {
        await using var server = await RunningServer.StartAsync(o => o.HandshakeTimeoutSeconds = 2);
        await using var pair = await HonestPair.StartAsync(server);
        await using var idle = await RawClient.ConnectAsync(server.Port);

        await idle.ExpectErrorThenCloseAsync(ProtocolErrorCode.Timeout, TimeSpan.FromSeconds(15));

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }

    [Fact]
    public async Task A_client_that_stops_after_the_auth_phase_is_cut_at_the_handshake_timeout()
    {
        await using var server = await RunningServer.StartAsync(o => o.HandshakeTimeoutSeconds = 2);
        await using var pair = await HonestPair.StartAsync(server);

        // k_auth is established but no credentials ever come: the deadline still covers the rest of the handshake.
        await using var stalled = await RawSession.ConnectAsync(server.Port);
        await stalled.Raw.ExpectErrorThenCloseAsync(ProtocolErrorCode.Timeout, TimeSpan.FromSeconds(15));

        await pair.ChatAsync();
        await pair.FinishAsync();
        await Eventually.NoSessionsLeftAsync(server);
    }
}
