using Microsoft.Extensions.Logging.Abstractions;
using SecureChat.Accounts;
using SecureChat.Accounts.Conversations;
using SecureChat.Client;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Protocol.Transport;

namespace SecureChat.Server.Tests;

/// <summary>The server's sessions without Kestrel or sockets: real keys, a real SQLite store and real transcript
/// files, each connection an in-memory <see cref="PipePair"/>.</summary>
internal sealed class InMemoryServer : IAsyncDisposable
{
    private readonly List<Task> _sessions = [];
    private int _connections;

    private InMemoryServer(string root, ServerRuntime runtime)
    {
        Root = root;
        Runtime = runtime;
    }

    public string Root { get; }

    public ServerRuntime Runtime { get; }

    public string ServerTranscripts => Runtime.Options.Transcripts;

    public static async Task<InMemoryServer> StartAsync(Action<ServerOptions>? configure = null)
    {
        var root = Directory.CreateTempSubdirectory("securechat-mem-").FullName;
        TestPki.WriteFiles(Path.Combine(root, "pki"));
        var options = new ServerOptions
        {
            Pki = Path.Combine(root, "pki"),
            Db = "sqlite:" + Path.Combine(root, "users.db"),
            Transcripts = Path.Combine(root, "server-transcripts"),
            ReceiptWaitSeconds = 2,
        };
        configure?.Invoke(options);
        Assert.Empty(options.Validate());
        var store = new SqliteUserStore(Path.Combine(root, "users.db"));
        await store.EnsureSchemaAsync();
        var credentials = new CredentialService(store, Argon2Parameters.InsecureForTests);
        var conversations = ConversationStoreFactory.Create(options.Db);
        await conversations.EnsureSchemaAsync();
        var runtime = new ServerRuntime(options, ServerPki.Load(options, DateTimeOffset.UtcNow), credentials, NullLoggerFactory.Instance, TimeProvider.System,
            store, conversations);
        return new InMemoryServer(root, runtime);
    }

    /// <summary>Accepts a connection: a server session runs on the server end of a new pipe pair until it ends, then
    /// closes that end as Kestrel would.</summary>
    public Accepted Accept()
    {
        var pipes = new PipePair();
        var session = new ServerSession(pipes.Server, Runtime, $"mem-{Interlocked.Increment(ref _connections)}", null);
        var run = Task.Run(async () =>
        {
            try
            {
                return await session.RunAsync();
            }
            finally
            {
                await pipes.CloseServerAsync();
                await session.DisposeAsync();
            }
        });
        lock (_sessions)
        {
            _sessions.Add(run);
        }

        return new Accepted(session, run, pipes.Client);
    }

    public ChatClientOptions ClientOptions(string name) => new()
    {
        Identity = new LocalIdentity(TestPki.Client),
        ServerValidator = new CertificateValidator(TestPki.ServerPolicy()),
        TranscriptDirectory = Path.Combine(Root, "client-transcripts", name),
    };

    /// <summary>Connects the real client over a new in-memory connection.</summary>
    public async Task<(ChatClient Client, Accepted Server)> ConnectAsync(string name)
    {
        var accepted = Accept();
        return (await ChatClient.ConnectAsync(accepted.ClientEnd, ClientOptions(name)), accepted);
    }

    /// <summary>Connects and registers <paramref name="name"/>.</summary>
    public async Task<(ChatClient Client, Accepted Server)> RegisterAsync(string name)
    {
        var (client, accepted) = await ConnectAsync(name);
        var response = await client.RegisterAsync($"{name}@example.org", name, "correct horse battery");
        Assert.True(response.Ok, response.Message);
        return (client, accepted);
    }

    public async ValueTask DisposeAsync()
    {
        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(10));
        await Runtime.Conversations.DisposeAsync();
        Runtime.Pki.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>A server session on its pipe, and the client's end of that pipe.</summary>
    internal sealed record Accepted(ServerSession Session, Task<ConnectionEnd> Run, System.IO.Pipelines.IDuplexPipe ClientEnd);
}
