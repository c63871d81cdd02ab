using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SecureChat.Client;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Server;
using SecureChat.TestSupport;

namespace SecureChat.Integration.Tests;

/// <summary>A real Kestrel host on a free loopback port, with SQLite (or a given database) in a temporary folder.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(string root, SecureChatServer server, ServerOptions options)
    {
        Root = root;
        Server = server;
        Options = options;
    }

    public string Root { get; }

    public SecureChatServer Server { get; }

    public ServerOptions Options { get; }

    public int Port => Server.EndPoint.Port;

    public string ServerTranscripts => Options.Transcripts;

    public static async Task<RunningServer> StartAsync(Action<ServerOptions>? configure = null)
    {
        var root = Directory.CreateTempSubdirectory("securechat-it-").FullName;
        TestPki.WriteFiles(Path.Combine(root, "pki"));
        var options = new ServerOptions
        {
            Listen = "127.0.0.1:0",
            Pki = Path.Combine(root, "pki"),
            Db = "sqlite:" + Path.Combine(root, "users.db"),
            Transcripts = Path.Combine(root, "server-transcripts"),
            Argon2MemoryKiB = Argon2Parameters.InsecureForTests.MemoryKiB,
            Argon2Iterations = Argon2Parameters.InsecureForTests.Iterations,
            ReceiptWaitSeconds = 3,
        };
        configure?.Invoke(options);
        var server = await SecureChatServer.CreateAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await server.StartAsync();
        return new RunningServer(root, server, options);
    }

    /// <summary>Options for a client named <paramref name="name"/>, presenting <paramref name="certificate"/>
    /// (the shared <see cref="TestPki.Client"/> when null).</summary>
    public ChatClientOptions ClientOptions(string name, X509Certificate2? certificate = null) => new()
    {
        Identity = new LocalIdentity(certificate ?? TestPki.Client),
        ServerValidator = new CertificateValidator(TestPki.ServerPolicy()),
        TranscriptDirectory = Path.Combine(Root, "client-transcripts", name),
    };

    public async Task<ChatClient> ConnectAsync(string name) =>
        await ChatClient.ConnectAsync("127.0.0.1", Port, ClientOptions(name));

    /// <summary>Connects and registers <paramref name="name"/>; the session key is then established.</summary>
    public async Task<ChatClient> RegisterAsync(string name)
    {
        var client = await ConnectAsync(name);
        var response = await client.RegisterAsync($"{name}@example.org", name, "correct horse battery");
        Assert.True(response.Ok, response.Message);
        return client;
    }

    public async Task<TcpClient> RawConnectAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Port);
        return tcp;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Server.StopAsync();
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
