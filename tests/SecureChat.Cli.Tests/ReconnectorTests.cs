using System.Diagnostics;
using System.Net.Sockets;
using SecureChat.Cli.Interactive;
using SecureChat.Client;
using SecureChat.Protocol;

namespace SecureChat.Cli.Tests;

/// <summary>The reconnect loop with a clock of the test's own (every wait is recorded and returns at once) and
/// attempts that fail as the test says: what it waits, what it says, when it stops.</summary>
public sealed class ReconnectorTests
{
    private readonly List<TimeSpan> _waits = [];
    private readonly List<string> _notices = [];

    [Fact]
    public async Task Failures_that_may_pass_are_retried_with_growing_waits_and_each_one_is_reported()
    {
        var reconnector = new Reconnector(new ReconnectBackoff(() => 0.5), Record);
        var failures = new Queue<Exception>([
            new SocketException((int)SocketError.ConnectionRefused),
            new IOException("the connection was reset"),
            ProtocolException.FromPeer(ProtocolErrorCode.ServerBusy, "the server is at its connection limit"),
        ]);
        var attempts = 0;

        var result = await reconnector.RunAsync("session ended by the server (receipts exchanged)", _ =>
        {
            attempts++;
            return failures.TryDequeue(out var failure) ? Task.FromException<string>(failure) : Task.FromResult("session 2");
        }, _notices.Add, CancellationToken.None);

        Assert.Equal("session 2", result);
        Assert.Equal(4, attempts);
        Assert.Equal([1, 2, 4, 8], _waits.Select(w => w.TotalSeconds));
        Assert.Equal("session ended by the server (receipts exchanged); reconnecting in 1 s (attempt 1)...", _notices[0]);
        Assert.StartsWith("attempt 1 failed: cannot reach the server: ", _notices[1], StringComparison.Ordinal);
        Assert.EndsWith("; reconnecting in 2 s (attempt 2)...", _notices[1], StringComparison.Ordinal);
        Assert.Equal("attempt 2 failed: the connection was reset; reconnecting in 4 s (attempt 3)...", _notices[2]);
        Assert.Equal("attempt 3 failed: the server refused: the server is at its connection limit (SERVER_BUSY); reconnecting in 8 s (attempt 4)...", _notices[3]);
    }

    [Fact]
    public async Task The_waits_stay_at_the_cap_however_long_it_takes()
    {
        var reconnector = new Reconnector(new ReconnectBackoff(() => 1), Record);
        var attempts = 0;

        await reconnector.RunAsync("session ended", _ =>
            ++attempts < 12 ? Task.FromException<string>(new IOException("refused")) : Task.FromResult("up"), _notices.Add, CancellationToken.None);

        Assert.Equal(12, _waits.Count);
        Assert.All(_waits, w => Assert.InRange(w.TotalSeconds, 0.8, 30));
        Assert.Equal([30, 30, 30, 30, 30, 30, 30], _waits.Skip(5).Select(w => w.TotalSeconds));
        Assert.EndsWith("reconnecting in 30 s (attempt 12)...", _notices[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_for_good_stops_at_once_and_reaches_the_caller()
    {
        var reconnector = new Reconnector(new ReconnectBackoff(() => 0.5), Record);
        var attempts = 0;

        var stopped = await Assert.ThrowsAsync<ReconnectStoppedException>(() => reconnector.RunAsync<string>("session ended", _ =>
        {
            attempts++;
            throw new ReconnectStoppedException("the server refused the login: invalid credentials (INVALID_CREDENTIALS)");
        }, _notices.Add, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Contains("INVALID_CREDENTIALS", stopped.Message, StringComparison.Ordinal);
        Assert.Single(_notices);
    }

    [Fact]
    public async Task A_bug_is_not_mistaken_for_a_network_failure()
    {
        var reconnector = new Reconnector(new ReconnectBackoff(() => 0.5), Record);

        await Assert.ThrowsAsync<NullReferenceException>(() =>
            reconnector.RunAsync<string>("session ended", _ => throw new NullReferenceException(), _notices.Add, CancellationToken.None));
        Assert.Single(_waits);
    }

    [Fact]
    public async Task Leaving_during_a_wait_ends_it_at_once_without_another_attempt()
    {
        // The real clock: a 30 s wait that must not be sat out.
        var reconnector = new Reconnector(new ReconnectBackoff(() => 1));
        using var leave = new CancellationTokenSource();
        var attempts = 0;
        var clock = Stopwatch.StartNew();

        var running = reconnector.RunAsync("session ended", _ =>
        {
            attempts++;
            return Task.FromException<string>(new IOException("refused"));
        }, text =>
        {
            _notices.Add(text);
            if (text.Contains("(attempt 2)", StringComparison.Ordinal))
            {
                leave.CancelAfter(TimeSpan.FromMilliseconds(50));
            }
        }, leave.Token);

        Assert.Null(await running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, attempts);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Leaving_during_an_attempt_ends_it_too()
    {
        var reconnector = new Reconnector(new ReconnectBackoff(() => 0.5), Record);
        using var leave = new CancellationTokenSource();

        var running = reconnector.RunAsync<string>("session ended", async token =>
        {
            await leave.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return "never";
        }, _notices.Add, leave.Token);

        Assert.Null(await running.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void How_a_session_ended_is_said_in_a_few_words()
    {
        Assert.Equal("session ended by the server (receipts exchanged)", SessionKeeper.Describe(new ChatEnded(true, null)));
        Assert.Equal("session ended: the connection was lost (PROTOCOL_ERROR)",
            SessionKeeper.Describe(new ChatEnded(false, new ProtocolException(ProtocolErrorCode.ProtocolError, "the connection was lost"))));
        Assert.Equal("session ended: a? (TIMEOUT)", SessionKeeper.Describe(new ChatEnded(false, new ProtocolException(ProtocolErrorCode.Timeout, "a\u001b"))));
    }

    [Theory]
    [InlineData(ProtocolErrorCode.BadCert, true)]
    [InlineData(ProtocolErrorCode.UnsupportedVersion, true)]
    [InlineData(ProtocolErrorCode.SigFail, true)]
    [InlineData(ProtocolErrorCode.BadDh, true)]
    [InlineData(ProtocolErrorCode.DecryptFail, true)]
    [InlineData(ProtocolErrorCode.FrameTooLarge, true)]
    [InlineData(ProtocolErrorCode.ProtocolError, false)]
    [InlineData(ProtocolErrorCode.Timeout, false)]
    [InlineData(ProtocolErrorCode.ServerBusy, false)]
    [InlineData(ProtocolErrorCode.Internal, false)]
    public void Certificate_and_handshake_failures_stop_reconnecting_and_the_rest_are_retried(ProtocolErrorCode code, bool permanent)
    {
        Assert.Equal(permanent, SessionKeeper.IsPermanent(new ProtocolException(code, "x")));
        Assert.Equal(permanent, SessionKeeper.IsPermanent(ProtocolException.FromPeer(code, "x")));
        Assert.False(SessionKeeper.IsPermanent(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.False(SessionKeeper.IsPermanent(new IOException("reset")));
    }

    private Task Record(TimeSpan wait, CancellationToken cancellationToken)
    {
        _waits.Add(wait);
        return Task.CompletedTask;
    }
}
