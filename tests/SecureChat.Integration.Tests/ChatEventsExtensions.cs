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
            var e = await client.Events.ReadAsync(timeout.Token);
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
