using System.Net.Sockets;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Protocol.Transport;

namespace SecureChat.TestSupport.EvilPeer;

/// <summary>How an evil peer's connection ended.</summary>
/// <param name="Error">The error that ended it: <see cref="ProtocolException.IsRemote"/> when the honest side sent
/// it, otherwise one the evil peer's own honest checks raised; null when it ended otherwise.</param>
/// <param name="ReceiptsExchanged">True when both receipts were exchanged and verified.</param>
public sealed record EvilOutcome(ProtocolException? Error, bool ReceiptsExchanged);

/// <summary>One connection of an evil peer: the honest state machine of its role runs over a real socket, and every
/// frame it produces passes through an <see cref="EvilPlan"/> on the way out. A test drives the chat phase
/// (<see cref="SayAsync(string, TimeSpan)"/>, <see cref="EndAsync"/>, <see cref="SendRawAsync"/>) and reads what really crossed the wire.</summary>
public abstract class EvilSession : IAsyncDisposable
{
    /// <summary>Bound on every wait of this class, so a test fails instead of hanging.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private bool _sendingClosed;
    private readonly FramedPipe _pipe;
    private readonly DeviantWire _wire;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<EvilOutcome> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ChatMessage> _sealed = [];
    private readonly Dictionary<string, int> _receivedCounts = [];
    private readonly EvilPlan _plan;
    private readonly LocalIdentity? _ownedIdentity;
    private Task? _reader;

    private protected EvilSession(Socket socket, bool isServer, LocalIdentity identity, ProtocolEndpoint protocol, EvilPlan plan,
        ShiftedClock clock, bool ownsIdentity = false)
    {
        _socket = socket;
        _ownedIdentity = ownsIdentity ? identity : null;
        _plan = plan;
        Protocol = protocol;
        Clock = clock;
        Context = new DeviationContext(isServer, identity, protocol);
        _pipe = FramedPipe.Over(new NetworkStream(socket, ownsSocket: false));
        _wire = new DeviantWire(socket, _pipe, plan, Context);
    }

    /// <summary>The honest state machine behind this peer.</summary>
    public ProtocolEndpoint Protocol { get; }

    /// <summary>The peer's clock; shift it to seal messages with a stale or future <c>ts</c>.</summary>
    public ShiftedClock Clock { get; }

    /// <summary>The peer's key, role and wire record.</summary>
    public DeviationContext Context { get; }

    /// <summary>Every message received from the honest side that decoded, in order.</summary>
    public IReadOnlyList<WireMessage> Received => [.. Context.Wire.Where(f => !f.Sent && f.Type is not null).Select(f => f.Message!)];

    /// <summary>Every chat message this peer sealed honestly, in order, whatever the plan did with it afterwards.</summary>
    public IReadOnlyList<ChatMessage> Sealed
    {
        get
        {
            lock (_sealed)
            {
                return [.. _sealed];
            }
        }
    }

    /// <summary>Completes when the chat phase is established on this side.</summary>
    public Task Established => _established.Task;

    /// <summary>Completes when the connection ended, with why.</summary>
    public Task<EvilOutcome> Finished => _finished.Task;

    /// <summary>Seals a chat message honestly (with the clock shifted by <paramref name="clockOffset"/>) and sends it through the plan.</summary>
    public Task SayAsync(string text, TimeSpan clockOffset = default) => SayAsync(new OutgoingChat(text), clockOffset);

    /// <summary>Seals the given content honestly (a relayed copy with any origin, a notice) and sends it through the plan.</summary>
    public Task SayAsync(OutgoingChat content, TimeSpan clockOffset = default) => UnderGateAsync(async () =>
    {
        Clock.Offset = clockOffset;
        ProtocolOutput output;
        try
        {
            output = Protocol.Send(content);
        }
        finally
        {
            Clock.Offset = TimeSpan.Zero;
        }

        await HandleAsync(output);
    });

    /// <summary>Ends the session with this peer's receipt, sent through the plan.</summary>
    public Task EndAsync() => UnderGateAsync(() => HandleAsync(Protocol.EndSession()));

    /// <summary>Puts bytes on the wire as they are, bypassing the plan (a reflected frame, raw garbage).</summary>
    public Task SendRawAsync(byte[] bytes) => UnderGateAsync(() => _wire.SendRawAsync([bytes], _stop.Token));

    /// <summary>Waits until <paramref name="count"/> frames of <paramref name="type"/> arrived from the honest side.</summary>
    public async Task<IReadOnlyList<WireFrame>> WaitForReceivedAsync(string type, int count = 1, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var frames = Context.Wire.Where(f => !f.Sent && f.Type == type).ToList();
            if (frames.Count >= count)
            {
                return frames;
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{count} {type} frame(s) did not arrive in time (got {frames.Count})");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }

        Protocol.Dispose();
        _ownedIdentity?.Dispose();
        _stop.Dispose();
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts reading the honest side's frames.</summary>
    private protected void StartReading() => _reader = Task.Run(ReadLoopAsync);

    /// <summary>Sends the output of an honest step through the plan and reacts to its events.</summary>
    private protected async Task HandleAsync(ProtocolOutput output)
    {
        lock (_sealed)
        {
            _sealed.AddRange(output.Events.OfType<MessageSent>().Select(m => m.Message));
        }

        if (!_sendingClosed)
        {
            await _wire.SendAsync(output.Frames, _stop.Token);
        }

        if (output.Events.OfType<SessionEstablished>().Any())
        {
            _established.TrySetResult();
        }

        await OnEventsAsync(output);
    }

    /// <summary>Runs an action on the state machine while no frame is being processed.</summary>
    private protected async Task UnderGateAsync(Func<Task> action)
    {
        await _gate.WaitAsync(_stop.Token);
        try
        {
            await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Role-specific reactions (the server decides register/login requests).</summary>
    private protected abstract Task OnEventsAsync(ProtocolOutput output);

    private async Task ReadLoopAsync()
    {
        EvilOutcome outcome;
        try
        {
            while (true)
            {
                var frame = await _pipe.ReadFrameAsync(_stop.Token);
                if (frame is null)
                {
                    outcome = new EvilOutcome(null, false);
                    break;
                }

                Context.Record(sent: false, frame);
                if (ScriptedReply(frame) is { } reply)
                {
                    await UnderGateAsync(() => _wire.SendRawAsync([reply(Context)], _stop.Token));
                    continue;
                }

                var ended = false;
                await UnderGateAsync(async () =>
                {
                    var output = Protocol.Receive(frame);
                    await HandleAsync(output);
                    ended = output.Events.OfType<SessionEnded>().Any();
                });
                if (ended)
                {
                    // Nothing more is accepted after the receipts, but what the other side still sends (an error frame
                    // about this side's receipt) is evidence a test may want, so it is recorded until the close.
                    while (await _pipe.ReadFrameAsync(_stop.Token) is { } late)
                    {
                        Context.Record(sent: false, late);
                    }

                    outcome = new EvilOutcome(null, true);
                    break;
                }
            }
        }
        catch (ProtocolException e)
        {
            // An honest peer tells the other side why it stops, unless the plan has silenced it.
            if (!e.IsRemote && !_wire.Stalled && !_wire.Reset)
            {
                await TrySendAsync(ProtocolEndpoint.ErrorFrame(e.Code, e.Message));
            }

            // ...and then closes its side, as an honest peer does, so the other side's lingering read ends at once.
            if (!_wire.Stalled && !_wire.Reset)
            {
                await CloseSendingAsync();
            }

            outcome = new EvilOutcome(e, false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            outcome = new EvilOutcome(null, false);
        }

        _finished.TrySetResult(outcome);
    }

    private Func<DeviationContext, byte[]>? ScriptedReply(byte[] frame)
    {
        if (Context.Wire[^1].Type is not { } type)
        {
            return null;
        }

        var occurrence = _receivedCounts[type] = _receivedCounts.GetValueOrDefault(type) + 1;
        return _plan.ReplyTo(type, occurrence);
    }

    /// <summary>Shuts the sending side down under the gate; later honest frames (a test still saying its
    /// texts) are dropped instead of failing on a closed socket.</summary>
    private async Task CloseSendingAsync()
    {
        try
        {
            await UnderGateAsync(() =>
            {
                _sendingClosed = true;
                _socket.Shutdown(SocketShutdown.Send);
                return Task.CompletedTask;
            });
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Already closed, or the session is being disposed.
        }
    }

    private async Task TrySendAsync(byte[] frame)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _wire.SendRawAsync([frame], timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The honest side is already gone.
        }
    }
}

/// <summary>A clock that runs with the system clock, shifted by <see cref="Offset"/>.</summary>
public sealed class ShiftedClock : TimeProvider
{
    /// <summary>How far this clock is ahead of (or, negative, behind) the system clock.</summary>
    public TimeSpan Offset { get; set; }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
