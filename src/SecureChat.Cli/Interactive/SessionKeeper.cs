using System.Security.Cryptography;
using SecureChat.Client;
using SecureChat.Pki;
using SecureChat.Protocol;

namespace SecureChat.Cli.Interactive;

/// <summary>The interactive client's sessions, one after another: the current one and, when the server ended it
/// without the person asking (it shut down, the connection was lost), a new session on a new connection, logged in
/// with the same account. Each session has its own transcript; the old one keeps its receipts state.</summary>
/// <remarks>The password is kept in memory, in an array this class clears when it is disposed (at exit), and is never
/// written anywhere. The strings made from it for each login cannot be cleared: .NET strings are immutable.</remarks>
internal sealed class SessionKeeper : IAsyncDisposable
{
    /// <summary>How long one attempt (connect, handshake, login) may take before it counts as failed.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private readonly Func<CancellationToken, Task<ChatClient>> _connect;
    private readonly Reconnector _reconnector;
    private readonly char[] _password;

    /// <summary>Keeps <paramref name="first"/> (now owned by this keeper) and reconnects with <paramref name="connect"/>.</summary>
    public SessionKeeper(ChatClient first, Func<CancellationToken, Task<ChatClient>> connect, Reconnector reconnector, char[]? password = null)
    {
        Current = first;
        _connect = connect;
        _reconnector = reconnector;
        _password = password ?? [];
    }

    /// <summary>The session on screen: the first one, then the latest reconnected one.</summary>
    public ChatClient Current { get; private set; }

    /// <summary>A keeper that reconnects to one of <paramref name="servers"/> (the last that answered first, then the
    /// others) and logs in as <paramref name="email"/> (never registers: the account exists once the first session is up).</summary>
    public static SessionKeeper ForLogin(ChatClient first, ServerList servers, ChatClientOptions options, string email, string password,
        Reconnector? reconnector = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        var kept = password.ToCharArray();
        return new SessionKeeper(first, token => LogInAsync(servers, options, email, kept, token),
            reconnector ?? new Reconnector(new ReconnectBackoff()), kept);
    }

    /// <summary>After <see cref="Current"/> ended without the person asking: waits and reconnects (see
    /// <see cref="Reconnector"/>), telling <paramref name="notify"/> each step, until a new session is up.</summary>
    /// <returns>The new session, now <see cref="Current"/>; null when <paramref name="cancellationToken"/> was cancelled.</returns>
    /// <exception cref="ReconnectStoppedException">The server refused the login, or its certificate or handshake failed.</exception>
    public async Task<ChatClient?> ReconnectAsync(ChatEnded ended, Action<string> notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        ArgumentNullException.ThrowIfNull(notify);
        var next = await _reconnector.RunAsync(Describe(ended), _connect, notify, cancellationToken).ConfigureAwait(false);
        if (next is null)
        {
            return null;
        }

        var previous = Current;
        Current = next;
        await previous.DisposeAsync().ConfigureAwait(false);
        notify($"reconnected: logged in as {Display.Safe(next.Username)}, session {next.SessionId}");
        return next;
    }

    /// <summary>How a session that the person did not end ended, in a few words.</summary>
    public static string Describe(ChatEnded ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        return ended switch
        {
            { ReceiptsMatched: true } => "session ended by the server (receipts exchanged)",
            { Error: { } error } => $"session ended: {Display.Safe(error.Message)} ({error.Code.ToWire()})",
            _ => "session ended without receipts",
        };
    }

    /// <summary>Whether a failure to connect will not go away by trying again: the server's certificate, the protocol
    /// version or the signed handshake was refused, or something that does not speak SecureChat answers.</summary>
    public static bool IsPermanent(Exception e) => e switch
    {
        ProtocolException p => p.Code is ProtocolErrorCode.BadCert or ProtocolErrorCode.UnsupportedVersion or ProtocolErrorCode.BadDh
            or ProtocolErrorCode.SigFail or ProtocolErrorCode.DecryptFail or ProtocolErrorCode.FrameTooLarge or ProtocolErrorCode.AuthFailed,
        PkiException or CryptographicException => true,
        _ => false,
    };

    /// <summary>Disposes the current session and clears the kept password.</summary>
    public async ValueTask DisposeAsync()
    {
        Array.Clear(_password);
        await Current.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<ChatClient> LogInAsync(ServerList servers, ChatClientOptions options, string email, char[] password,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AttemptTimeout);
        ChatClient? client = null;
        try
        {
            client = await servers.ConnectAsync(options, deadline.Token).ConfigureAwait(false);
            var response = await client.LoginAsync(email, new string(password), deadline.Token).ConfigureAwait(false);
            if (response.Ok)
            {
                var established = client;
                client = null;
                return established;
            }

            var refusal = $"{Display.Safe(response.Message?.TrimEnd('.'))} ({Display.Safe(response.Code)})";

            // Too many failed logins from this address: the server will take logins again later.
            throw response.Code == "RATE_LIMITED"
                ? new IOException($"the server refused the login for now: {refusal}")
                : new ReconnectStoppedException($"the server refused the login: {refusal}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no answer from the server within {AttemptTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (IsPermanent(e))
        {
            throw new ReconnectStoppedException(CliRunner.Describe(e) ?? e.Message, e);
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
