using SecureChat.Evidence;
using SecureChat.Evidence.Audit;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server.Tests;

/// <summary>Evidence that cannot be written ends the session honestly; shutdown ends every session it finds, the
/// ones still in their handshake included.</summary>
public sealed class StorageAndShutdownTests
{
    [Fact]
    public async Task A_transcript_that_cannot_be_written_ends_that_session_with_internal_and_the_others_go_on()
    {
        await using var server = await InMemoryServer.StartAsync();
        var (bob, _) = await server.RegisterAsync("bob");
        await using (bob)
        {
            // From now on the disk is full: alice's header goes through, her first message line does not.
            var open = server.Runtime.OpenTranscript;
            server.Runtime.OpenTranscript = header => new FailingAfterHeader(open(header));
            var (alice, accepted) = await server.RegisterAsync("alice");
            server.Runtime.OpenTranscript = open;
            await using (alice)
            {
                // The roster notice may already have met the full disk; either way the session ends with INTERNAL.
                await alice.SendAsync("this line cannot be recorded");
                var ended = await alice.Completion.WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(ProtocolErrorCode.Internal, ended.Error?.Code);
                Assert.True(ended.Error?.IsRemote);
            }

            var end = await accepted.Run;
            Assert.Equal(EndReason.EvidenceFailed, end.Reason);

            // Nothing unrecorded was relayed, and the file that stays is verifiable up to its last whole line.
            await using (var file = File.OpenRead(accepted.Session.TranscriptPath!))
            {
                Assert.True(TranscriptAuditor.Audit(file, TestPki.Root).Accepted);
            }

            Assert.True(await bob.SendAsync("bob is still served"));
            Assert.True((await bob.EndAsync()).ReceiptsMatched);
            var seen = new List<string>();
            await foreach (var e in bob.Events.ReadAllAsync())
            {
                if (e is SecureChat.Client.ChatMessageReceived m)
                {
                    seen.Add(m.Text);
                }
            }

            Assert.DoesNotContain("this line cannot be recorded", seen);
        }
    }

    [Fact]
    public async Task A_header_that_cannot_be_written_ends_the_session_with_internal_and_leaves_no_file()
    {
        await using var server = await InMemoryServer.StartAsync();
        server.Runtime.OpenTranscript = _ => throw new IOException("No space left on device");
        var (client, accepted) = await server.ConnectAsync("alice");
        await using (client)
        {
            var error = await Assert.ThrowsAsync<ProtocolException>(() => client.RegisterAsync("alice@example.org", "alice", "correct horse battery"));
            Assert.Equal(ProtocolErrorCode.Internal, error.Code);
        }

        Assert.Equal(EndReason.EvidenceFailed, (await accepted.Run).Reason);
        Assert.False(Directory.Exists(server.ServerTranscripts) && Directory.EnumerateFiles(server.ServerTranscripts, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void A_transcript_folder_that_cannot_be_written_is_refused_at_start_up()
    {
        // /proc/self exists but no file can be created in it, whoever runs the test (root included).
        var error = Assert.Throws<IOException>(() => TranscriptDirectory.EnsureWritable("/proc/self"));
        Assert.Contains("/proc/self", error.Message, StringComparison.Ordinal);
        Assert.Contains("not writable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_refuses_a_handshake_that_does_not_complete_within_the_receipt_wait()
    {
        await using var server = await InMemoryServer.StartAsync(o => o.ReceiptWaitSeconds = 0.5);
        var (client, accepted) = await server.ConnectAsync("alice");
        await using (client)
        {
            // The client has k_auth and waits for its user; the server stops meanwhile.
            server.Runtime.IsStopping = true;
            var end = await accepted.Session.EndAsync();

            Assert.Equal(EndReason.Aborted, end.Reason);
            Assert.Equal(ProtocolErrorCode.ServerBusy, end.Error?.Code);
        }
    }

    [Fact]
    public async Task Shutdown_ends_a_session_whose_handshake_completes_during_it_with_receipts()
    {
        await using var server = await InMemoryServer.StartAsync(o => o.ReceiptWaitSeconds = 5);
        var (client, accepted) = await server.ConnectAsync("alice");
        await using (client)
        {
            server.Runtime.IsStopping = true;
            var ending = accepted.Session.EndAsync();
            Assert.True((await client.RegisterAsync("alice@example.org", "alice", "correct horse battery")).Ok);

            Assert.Equal(EndReason.ReceiptsExchanged, (await ending).Reason);
            Assert.True((await client.Completion.WaitAsync(TimeSpan.FromSeconds(10))).ReceiptsMatched);
        }
    }

    [Fact]
    public async Task Beyond_the_relay_backlog_a_message_is_refused_with_server_busy_and_the_session_goes_on()
    {
        await using var server = await InMemoryServer.StartAsync(o => o.MaxRelayBacklog = 100);
        var (alice, _) = await server.RegisterAsync("alice");
        var (bob, _) = await server.RegisterAsync("bob");
        await using (alice)
        await using (bob)
        {
            // The server already owes more copies than the bound (as in a saturated room).
            server.Runtime.CountBacklog(101);
            Assert.True(await alice.SendAsync("while saturated"));
            var refused = await NextAsync(alice, m => m.Event == "refused");
            Assert.Equal("SERVER_BUSY", refused.Code);
            Assert.Equal(1, refused.Ref);

            // Once the backlog is paid, messages are relayed again; nobody was dropped.
            server.Runtime.CountBacklog(-101);
            Assert.True(await alice.SendAsync("after the saturation"));
            var relayed = await NextAsync(bob, m => m.Kind == "chat");
            Assert.Equal("after the saturation", relayed.Text);
            Assert.True((await alice.EndAsync()).ReceiptsMatched);
            Assert.True((await bob.EndAsync()).ReceiptsMatched);
        }
    }

    private static async Task<SecureChat.Client.ChatMessageReceived> NextAsync(SecureChat.Client.ChatClient client, Func<SecureChat.Client.ChatMessageReceived, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (await client.Events.ReadAsync(timeout.Token) is SecureChat.Client.ChatMessageReceived m && wanted(m))
            {
                return m;
            }
        }
    }

    /// <summary>A transcript on a disk that fills up right after the header.</summary>
    private sealed class FailingAfterHeader(ITranscriptFile inner) : ITranscriptFile
    {
        public string Path => inner.Path;

        public void Record(IReadOnlyList<ProtocolOutput> steps)
        {
            if (steps.Any(s => s.Events.Any(e => e is MessageSent or MessageReceived or ReceiptSent or ReceiptReceived)))
            {
                throw new IOException("No space left on device");
            }

            inner.Record(steps);
        }

        public void Dispose() => inner.Dispose();
    }
}
