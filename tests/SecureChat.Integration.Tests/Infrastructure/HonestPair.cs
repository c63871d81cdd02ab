using SecureChat.Client;
using SecureChat.Evidence;

namespace SecureChat.Integration.Tests.Infrastructure;

/// <summary>Two well-behaved users chatting through the server while a test attacks it: they must keep chatting,
/// end with matching receipts, and leave server transcripts that parse line by line.</summary>
internal sealed class HonestPair : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static int _pairs;

    private readonly RunningServer _server;
    private readonly Dictionary<ChatClient, List<ChatMessageReceived>> _received = [];
    private int _rounds;
    private int _sentByA;
    private int _sentByB;

    private HonestPair(RunningServer server, ChatClient a, ChatClient b)
    {
        _server = server;
        A = a;
        B = b;
        _received[a] = [];
        _received[b] = [];
    }

    /// <summary>Part of every honest username of this test run, so that a database kept between runs (MariaDB)
    /// never already holds them.</summary>
    public static string RunTag { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));

    public ChatClient A { get; }

    public ChatClient B { get; }

    /// <summary>Everything (chat and system) <paramref name="client"/> received so far.</summary>
    public IReadOnlyList<ChatMessageReceived> ReceivedBy(ChatClient client) => _received[client];

    /// <summary>Registers two fresh users and has them exchange a first round.</summary>
    public static async Task<HonestPair> StartAsync(RunningServer server)
    {
        var n = Interlocked.Increment(ref _pairs);
        var a = await server.RegisterAsync($"honest{RunTag}n{n}a");
        ChatClient? b = null;
        try
        {
            b = await server.RegisterAsync($"honest{RunTag}n{n}b");
            var pair = new HonestPair(server, a, b);
            await pair.ChatAsync();
            return pair;
        }
        catch
        {
            await a.DisposeAsync();
            if (b is not null)
            {
                await b.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Makes a pair of two clients that are already logged in, and has them exchange a first round.</summary>
    public static async Task<HonestPair> StartAsync(RunningServer server, ChatClient a, ChatClient b)
    {
        var pair = new HonestPair(server, a, b);
        await pair.ChatAsync();
        return pair;
    }

    /// <summary>Each user sends one message and waits until the other one's arrives.</summary>
    public async Task ChatAsync()
    {
        var round = Interlocked.Increment(ref _rounds);
        var fromA = $"{A.Username} says hello, round {round}";
        var fromB = $"{B.Username} answers, round {round}";
        await SendAsync(A, fromA);
        await SendAsync(B, fromB);
        await WaitForTextAsync(B, fromA);
        await WaitForTextAsync(A, fromB);
    }

    /// <summary>Sends a message from one of the pair, counting it for the transcript check.</summary>
    public async Task SendAsync(ChatClient from, string text)
    {
        await from.SendAsync(text);
        if (ReferenceEquals(from, A))
        {
            _sentByA++;
        }
        else
        {
            _sentByB++;
        }
    }

    /// <summary>Reads <paramref name="client"/>'s events until a chat message with <paramref name="text"/> arrives.</summary>
    public async Task<ChatMessageReceived> WaitForTextAsync(ChatClient client, string text, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Bound);
        while (true)
        {
            ChatEvent e;
            try
            {
                e = await client.Events.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{client.Username} did not receive '{Shorten(text)}' in time");
            }

            switch (e)
            {
                case ChatMessageReceived m:
                    _received[client].Add(m);
                    if (m.Kind == "chat" && m.Text == text)
                    {
                        return m;
                    }

                    break;
                case ChatEnded ended:
                    throw new InvalidOperationException($"{client.Username}'s session ended early: {ended.Error}");
            }
        }
    }

    /// <summary>Ends both sessions with receipts and checks both server transcripts.</summary>
    public async Task FinishAsync()
    {
        Assert.False(A.Completion.IsCompleted, $"{A.Username}'s session ended: {(A.Completion.IsCompleted ? A.Completion.Result.Error : null)}");
        Assert.False(B.Completion.IsCompleted, $"{B.Username}'s session ended: {(B.Completion.IsCompleted ? B.Completion.Result.Error : null)}");
        var endA = await A.EndAsync();
        var endB = await B.EndAsync();
        Assert.True(endA.ReceiptsMatched, $"{A.Username}: {endA.Error}");
        Assert.True(endB.ReceiptsMatched, $"{B.Username}: {endB.Error}");
        await CheckServerTranscriptAsync(A, _sentByA);
        await CheckServerTranscriptAsync(B, _sentByB);
        Assert.Empty(_server.ErrorLogs);
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private async Task CheckServerTranscriptAsync(ChatClient client, int sent)
    {
        var lines = await ServerTranscript.ReadAsync(_server, client.SessionId!);
        var header = Assert.IsType<TranscriptHeader>(lines[0]);
        Assert.Equal(client.Username, header.Username);
        var messages = lines.OfType<TranscriptMessageLine>().ToList();
        Assert.Equal(Enumerable.Range(1, sent).Select(i => (long)i), messages.Where(m => m.Dir == "c2s").Select(m => m.Seqno));
        var s2c = messages.Where(m => m.Dir == "s2c").Select(m => m.Seqno).ToList();
        Assert.Equal(Enumerable.Range(1, s2c.Count).Select(i => (long)i), s2c);
        Assert.Equal(2, lines.OfType<TranscriptReceiptLine>().Count());

        // The client's own file records the same messages, value for value.
        var clientLines = await ServerTranscript.ReadFileAsync(client.TranscriptPath!);
        var clientMessages = clientLines.OfType<TranscriptMessageLine>().Select(m => m with { Plaintext = null });
        Assert.Equal(messages.OrderBy(m => m.Dir).ThenBy(m => m.Seqno), clientMessages.OrderBy(m => m.Dir).ThenBy(m => m.Seqno));
    }
}
