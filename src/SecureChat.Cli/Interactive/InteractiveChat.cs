using SecureChat.Client;
using SecureChat.Protocol.Messages;
using Spectre.Console;

namespace SecureChat.Cli.Interactive;

/// <summary>The interactive client: ask for credentials, then connect, authenticate and chat with incoming messages
/// shown above the prompt.</summary>
/// <remarks>Credentials are asked for before connecting, so the server's handshake timer never counts typing; a
/// failed login asks again and connects afresh.</remarks>
internal static class InteractiveChat
{
    private const int Attempts = 3;

    /// <summary>What the person typed at the prompts.</summary>
    private sealed record Credentials(bool Register, string Email, string? Username, string Password);

    /// <summary>Asks for credentials and logs in (asking again after a refusal, at most three times), then runs the
    /// sessions with <paramref name="chat"/> (the line client when null), which returns the exit code. Later sessions
    /// log in with the same e-mail address and password, kept in memory until the chat returns.</summary>
    public static async Task<int> RunAsync(ServerList servers, ChatClientOptions options, CancellationToken cancellationToken,
        Func<SessionKeeper, CancellationToken, Task<int>>? chat = null)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var credentials = AskCredentials();
            var client = await servers.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
            AuthResponsePlaintext response;
            try
            {
                AnsiConsole.MarkupLine($"[green]connected[/] to {Markup.Escape(servers.Current)}: server certificate verified, signed DH done, credentials travel under k_auth");
                response = credentials.Register
                    ? await client.RegisterAsync(credentials.Email, credentials.Username!, credentials.Password, cancellationToken).ConfigureAwait(false)
                    : await client.LoginAsync(credentials.Email, credentials.Password, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            if (response.Ok)
            {
                var keeper = SessionKeeper.ForLogin(client, servers, options, credentials.Email, credentials.Password);
                await using (keeper.ConfigureAwait(false))
                {
                    return await (chat ?? LineChat.ChatAsync)(keeper, cancellationToken).ConfigureAwait(false);
                }
            }

            await client.DisposeAsync().ConfigureAwait(false);
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(Display.Safe(response.Message))}[/] ({Markup.Escape(Display.Safe(response.Code))})");
        }

        Console.Error.WriteLine($"securechat: giving up after {Attempts} failed attempts");
        return CliRunner.Failure;
    }

    private static Credentials AskCredentials()
    {
        string choice;
        do
        {
            choice = Ask("register or log in? [l/r]: ").Trim().ToLowerInvariant();
        }
        while (choice is not ("l" or "r" or "login" or "log in" or "register"));

        var register = choice is "r" or "register";
        var email = AskNonEmpty("e-mail: ");
        var username = register ? AskNonEmpty("username: ") : null;
        var password = LineEditor.ReadSecret("password: ") ?? throw Aborted();
        return new Credentials(register, email, username, password);
    }

    private static string AskNonEmpty(string prompt)
    {
        while (true)
        {
            var answer = Ask(prompt).Trim();
            if (answer.Length > 0)
            {
                return answer;
            }
        }
    }

    private static string Ask(string prompt) => LineEditor.ReadPrompt(prompt) ?? throw Aborted();

    private static InputAbortedException Aborted() => new("no credentials given (end of input at the prompt); nothing was sent");
}
