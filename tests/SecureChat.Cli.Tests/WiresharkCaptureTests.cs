namespace SecureChat.Cli.Tests;

/// <summary>Real captures through the Wireshark dissector: the pcapng files <c>attack --pcap</c> and <c>demo --pcap</c>
/// write, and a live <c>tcpdump -i lo</c> capture of a real server session.</summary>
/// <remarks>These captures use whatever ports the system hands out, so the dissector finds them heuristically; tshark
/// is asked to try heuristics first so that a port another dissector happens to claim cannot hide a stream.</remarks>
public sealed class WiresharkCaptureTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] HeuristicsFirst = ["-o", "tcp.try_heuristic_first:TRUE"];

    private static readonly string[] Handshake =
        ["hello", "server_hello", "dh_client", "dh_server", "auth_request", "auth_response", "dh_client", "dh_server"];

    public static TheoryData<string, string[]> AttackWarnings => new()
    {
        { "replay", ["SecureChat: seqno 1 goes back (last in this direction was 1): replayed message", "SecureChat: error frame REPLAY: seqno 1 was already seen (last 1)"] },
        { "tamper", ["SecureChat: error frame SIG_FAIL: signature of message 1 does not verify"] },
    };

    [TsharkTheory]
    [MemberData(nameof(AttackWarnings))]
    public async Task An_attack_capture_shows_every_frame_typed_and_the_warnings_of_the_attack(string scenario, string[] expected)
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["attack", scenario, "--pcap", "attack.pcapng"], new ChildProcessOptions { Timeout = RunTimeout });

        CliAssert.Succeeded(result);
        var packets = await Tshark.DissectAsync(sandbox.File("attack.pcapng"), HeuristicsFirst);
        var streams = packets.GroupBy(p => p.Stream).ToList();

        // One connection, recorded on both legs: client to proxy, proxy to server.
        Assert.Equal(2, streams.Count);
        foreach (var stream in streams)
        {
            Assert.Equal(Handshake, stream.SelectMany(p => p.Types).Take(Handshake.Length));
        }

        // The proxy opens the client leg (stream 0) before the server leg (stream 1). The server leg carries what the
        // server was sent and its error; the client leg only that error, relayed.
        Assert.Equal(expected, streams.Single(s => s.Key == 1).SelectMany(p => p.Warnings));
        Assert.Equal([expected[^1]], streams.Single(s => s.Key == 0).SelectMany(p => p.Warnings));
    }

    [TsharkFact]
    public async Task A_demo_capture_shows_both_sessions_on_both_legs_without_warnings()
    {
        using var sandbox = new CliSandbox();

        var result = await sandbox.RunAsync(["demo", "--pcap", "demo.pcapng"], new ChildProcessOptions { Timeout = RunTimeout });

        CliAssert.Succeeded(result);
        var packets = await Tshark.DissectAsync(sandbox.File("demo.pcapng"), HeuristicsFirst);
        var streams = packets.GroupBy(p => p.Stream).ToList();
        Assert.Equal(4, streams.Count);
        foreach (var stream in streams)
        {
            var types = stream.SelectMany(p => p.Types).ToList();
            Assert.Equal(Handshake, types.Take(Handshake.Length));
            Assert.Equal(["receipt", "receipt"], types.TakeLast(2));
            Assert.Contains("msg", types.Skip(Handshake.Length));
        }

        Assert.Empty(packets.SelectMany(p => p.Warnings));
    }

    [TcpdumpFact]
    public async Task A_live_tcpdump_capture_of_a_real_session_decodes_frame_by_frame()
    {
        using var sandbox = new CliSandbox();
        CliAssert.Succeeded(await sandbox.RunAsync("pki", "init"));
        var server = await ChatServerProcess.StartAsync(sandbox, sandbox.File("pki"), sandbox.File("server"), ChatEnvironment.NoPresenceNotices);
        var file = sandbox.File("live.pcap");
        using var tcpdump = ChildProcess.Start("tcpdump", ["-i", "lo", "-n", "-U", "--immediate-mode", "-w", file, "tcp", "port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await tcpdump.WaitForOutputAsync("listening on", stream: OutputStream.StandardError);

        var client = await ScriptedClient.RunAsync(sandbox, sandbox.Path,
            ScriptedClient.Register(server.Address, sandbox.File("pki"), "alice", "--send", "hello", "--send", "bye"), ScriptedClient.Input());
        CliAssert.Succeeded(client);

        // The session is over when the client exits; stopping the server first leaves tcpdump (in immediate mode) time
        // to write the last segments before SIGINT ends it.
        await server.StopAsync();
        tcpdump.Signal(Posix.SigInt);
        var captured = await tcpdump.WaitForExitAsync(TimeSpan.FromSeconds(15));
        Assert.True(captured.ExitCode == 0, captured.ToString());

        var packets = await Tshark.DissectAsync(file, HeuristicsFirst);

        Assert.Equal([.. Handshake, "msg", "msg", "receipt", "receipt"], packets.SelectMany(p => p.Types));
        Assert.Equal(["c2s", "s2c", "c2s", "s2c", "c2s", "s2c", "c2s", "s2c", "c2s", "c2s", "c2s", "s2c"], packets.SelectMany(p => p.Directions));
        Assert.Equal(["1", "2"], packets.SelectMany(p => p.Seqnos));
        Assert.Empty(packets.SelectMany(p => p.Warnings));
    }
}
