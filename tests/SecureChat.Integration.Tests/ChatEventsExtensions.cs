using SecureChat.Client;

namespace SecureChat.Integration.Tests;

internal static class ChatEventsExtensions
{
    /// <summary>Reads events until <paramref name="count"/> chat messages (kind chat) arrived, or fails after a bound.</summary>
    public static async Task<List<ChatMessageReceived>> ReceiveChatAsync(this ChatClient client, int count, int timeoutSeconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var messages = new List<ChatMessageReceived>();
        while (messages.Count < count)
        {
            ChatEvent e;
            try
            {
                e = await client.Events.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"{client.Username} received {messages.Count} of {count} chat messages within {timeoutSeconds} s");
            }

            if (e is ChatMessageReceived { Kind: "chat" } m)
            {
                messages.Add(m);
            }
            else if (e is ChatEnded ended)
            {
                throw new InvalidOperationException($"session ended early: {ended.Error}");
            }
        }

        return messages;
    }
}
