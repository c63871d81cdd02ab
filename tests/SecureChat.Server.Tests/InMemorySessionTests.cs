using System.Buffers.Binary;
using System.Text;
using SecureChat.Client;
using SecureChat.Evidence.Audit;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server.Tests;

/// <summary>Real server sessions and the real client over in-memory pipes: the handshake, register/login, relay,
/// teardown and error paths, with no socket and no Kestrel.</summary>
public sealed class InMemorySessionTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Handshake_and_registration_establish_a_session_whose_transcripts_both_verify()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (alice, accepted) = await server.RegisterAsync("alice");
        await using (alice)
        {
            Assert.Equal("alice", alice.Username);
            Assert.Equal("alice", accepted.Session.Username);
            Assert.True((await alice.EndAsync()).ReceiptsMatched);
        }

        var end = await accepted.Run;
        Assert.Equal(EndReason.ReceiptsExchanged, end.Reason);
        foreach (var path in new[] { accepted.Session.TranscriptPath!, alice.TranscriptPath! })
        {
            await using var file = File.OpenRead(path);
            var report = TranscriptAuditor.Audit(file, TestPki.Root);
            Assert.True(report.Accepted && report.Complete, path);
        }
    }

    [Fact]
    public async Task Login_after_registration_names_the_account()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (first, _) = await server.RegisterAsync("alice");
        await using (first)
        {
            await first.EndAsync();
        }

        var (again, accepted) = await server.ConnectAsync("alice");
        await using (again)
        {
            var response = await again.LoginAsync("alice@example.org", Password);
            Assert.True(response.Ok);
            Assert.Equal("alice", accepted.Session.Username);
            await again.EndAsync();
        }
    }

    [Fact]
    public async Task Three_failed_logins_end_the_session_with_auth_failed()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (client, accepted) = await server.ConnectAsync("mallory");
        await using (client)
        {
            Assert.Equal(AuthCodes.InvalidCredentials, (await client.LoginAsync("nobody@example.org", "wrong password 1")).Code);
            Assert.Equal(AuthCodes.InvalidCredentials, (await client.LoginAsync("nobody@example.org", "wrong password 2")).Code);
            Assert.Equal(AuthCodes.InvalidCredentials, (await client.LoginAsync("nobody@example.org", "wrong password 3")).Code);
            var ended = await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ProtocolErrorCode.AuthFailed, ended.Error?.Code);
            Assert.True(ended.Error?.IsRemote);
        }

        Assert.Equal(EndReason.ClosedByProtocol, (await accepted.Run).Reason);
        Assert.Null(accepted.Session.TranscriptPath);
    }

    [Fact]
    public async Task A_message_is_relayed_to_the_other_member_with_its_author()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (alice, _) = await server.RegisterAsync("alice");
        var (bob, _) = await server.RegisterAsync("bob");
        await using (alice)
        await using (bob)
        {
            Assert.True(await alice.SendAsync("hello bob"));
            var received = await NextChatAsync(bob, m => m.Kind == ChatPlaintext.ChatKind);
            Assert.Equal(("alice", "hello bob"), (received.From, received.Text));
            Assert.True((await alice.EndAsync()).ReceiptsMatched);
            Assert.True((await bob.EndAsync()).ReceiptsMatched);
        }
    }

    [Fact]
    public async Task A_text_too_long_is_refused_locally_and_the_session_goes_on()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (alice, _) = await server.RegisterAsync("alice");
        await using (alice)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => alice.SendAsync(new string('x', 16 * 1024 + 1)));
            Assert.True(await alice.SendAsync("still here"));
            Assert.True((await alice.EndAsync()).ReceiptsMatched);
        }
    }

    [Fact]
    public async Task Ending_from_the_server_exchanges_receipts_with_the_client()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (alice, accepted) = await server.RegisterAsync("alice");
        await using (alice)
        {
            await accepted.Session.EndAsync();
            Assert.True((await alice.Completion).ReceiptsMatched);
            Assert.Equal(EndReason.ReceiptsExchanged, (await accepted.Run).Reason);
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_without_receipts_ends_its_session_as_peer_closed()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (alice, accepted) = await server.RegisterAsync("alice");
        await alice.DisposeAsync();

        Assert.Equal(EndReason.PeerClosed, (await accepted.Run).Reason);
        Assert.Equal(0, server.Runtime.Room.Count);
    }

    [Fact]
    public async Task Garbage_gets_a_protocol_error_frame_and_the_session_ends()
    {
        await using var server = await InMemoryServer.StartAsync();
        var accepted = server.Accept();
        await accepted.ClientEnd.Output.WriteAsync(Frame("{\"type\":\"nonsense\"}"));

        var error = await ReadErrorAsync(accepted);
        Assert.Equal("PROTOCOL_ERROR", error.Code);
        Assert.Equal(EndReason.ProtocolError, (await accepted.Run).Reason);
    }

    [Fact]
    public async Task An_oversized_length_prefix_gets_frame_too_large_before_any_body()
    {
        await using var server = await InMemoryServer.StartAsync();
        var accepted = server.Accept();
        await accepted.ClientEnd.Output.WriteAsync(new byte[] { 0x7f, 0xff, 0xff, 0xff });

        Assert.Equal("FRAME_TOO_LARGE", (await ReadErrorAsync(accepted)).Code);
        Assert.Equal(EndReason.ProtocolError, (await accepted.Run).Reason);
    }

    [Fact]
    public async Task A_handshake_that_stalls_gets_timeout()
    {
        await using var server = await InMemoryServer.StartAsync(o => o.HandshakeTimeoutSeconds = 0.5);
        var accepted = server.Accept();

        Assert.Equal("TIMEOUT", (await ReadErrorAsync(accepted)).Code);
        var end = await accepted.Run;
        Assert.Equal(EndReason.HandshakeTimeout, end.Reason);
        Assert.True(end.InHandshake);
    }

    [Fact]
    public async Task A_connection_cut_in_the_middle_of_a_frame_is_lost_without_an_error_frame()
    {
        await using var server = await InMemoryServer.StartAsync();
        var accepted = server.Accept();
        var frame = Frame("{\"type\":\"hello\"}");
        await accepted.ClientEnd.Output.WriteAsync(frame.AsMemory(0, 7));
        await accepted.ClientEnd.Output.CompleteAsync();

        Assert.Equal(EndReason.Lost, (await accepted.Run).Reason);
    }

    [Fact]
    public async Task A_silent_session_gets_timeout_and_its_client_is_told()
    {
        await using var server = await InMemoryServer.StartAsync(o => o.IdleTimeoutMinutes = 0.01);
        var (alice, accepted) = await server.RegisterAsync("alice");
        await using (alice)
        {
            var ended = await alice.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(ended.ReceiptsMatched);
            Assert.Equal(ProtocolErrorCode.Timeout, ended.Error?.Code);
            Assert.True(ended.Error?.IsRemote);
        }

        Assert.Equal(EndReason.IdleTimeout, (await accepted.Run).Reason);
    }

    [Fact]
    public async Task A_user_who_only_reads_stays_connected_while_the_conversation_goes_on()
    {
        // An idle timeout of 1.5 s; alice writes every 200 ms, bob writes nothing for about three timeouts.
        await using var server = await InMemoryServer.StartAsync(o => o.IdleTimeoutMinutes = 0.025);
        var (alice, _) = await server.RegisterAsync("alice");
        var (bob, bobSession) = await server.RegisterAsync("bob");
        await using (alice)
        await using (bob)
        {
            var started = DateTime.UtcNow;
            for (var i = 0; DateTime.UtcNow - started < TimeSpan.FromSeconds(4.5); i++)
            {
                Assert.True(await alice.SendAsync($"message {i}"));
                await NextChatAsync(bob, m => m.Text == $"message {i}");
                await Task.Delay(200);
            }

            Assert.False(bobSession.Run.IsCompleted);
            Assert.True((await bob.EndAsync()).ReceiptsMatched);
            await alice.EndAsync();
        }
    }

    private static async Task<ChatMessageReceived> NextChatAsync(ChatClient client, Func<ChatMessageReceived, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await client.Events.ReadAsync(timeout.Token) is ChatMessageReceived m && wanted(m))
            {
                return m;
            }
        }
    }

    private static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Reads frames from the server until its error frame.</summary>
    private static async Task<ErrorMessage> ReadErrorAsync(InMemoryServer.Accepted accepted)
    {
        var pipe = new FramedPipe(accepted.ClientEnd);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await pipe.ReadFrameAsync(timeout.Token) is { } frame)
        {
            if (MessageCodec.DecodeFrame(frame) is ErrorMessage error)
            {
                return error;
            }
        }

        throw new InvalidOperationException("the server closed without an error frame");
    }
}
