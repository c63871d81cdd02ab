using SecureChat.Client;

namespace SecureChat.Integration.Tests.Conversations;

/// <summary>Bounded reads of one client's events.</summary>
internal static class Inbox
{
    /// <summary>The next event that matches, skipping others; fails after the bound or when the session ends.</summary>
    public static async Task<ChatMessageReceived> NextAsync(this ChatClient client, Func<ChatMessageReceived, bool> match, string what, int seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            ChatEvent e;
            try
            {
                e = await client.Events.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"{client.Username} did not receive {what} within {seconds} s");
            }

            switch (e)
            {
                case ChatMessageReceived m when match(m):
                    return m;
                case ChatEnded ended:
                    throw new InvalidOperationException($"{client.Username}'s session ended while waiting for {what}: {ended.Error}");
            }
        }
    }

    /// <summary>The next chat message (a relayed copy), whatever it is.</summary>
    public static Task<ChatMessageReceived> NextChatAsync(this ChatClient client, string what) =>
        client.NextAsync(m => m.Kind == "chat", what);

    /// <summary>The next notice with this event (and, when given, about this conversation).</summary>
    public static Task<ChatMessageReceived> NoticeAsync(this ChatClient client, string eventName, string? to = null) =>
        client.NextAsync(m => m.Kind == "system" && m.Event == eventName && (to is null || m.To == to), $"a '{eventName}' notice{(to is null ? "" : " about " + to)}");

    /// <summary>The <c>refused</c> notice for this user's message <paramref name="seqno"/>.</summary>
    public static Task<ChatMessageReceived> RefusalAsync(this ChatClient client, long seqno) =>
        client.NextAsync(m => m.Event == "refused" && m.Ref == seqno, $"the refusal of its message {seqno}");
}
