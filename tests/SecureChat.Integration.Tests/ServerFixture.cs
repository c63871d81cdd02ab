using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SecureChat.Client;
using SecureChat.Crypto;
using SecureChat.Pki;
using SecureChat.Protocol;
using SecureChat.Server;

namespace SecureChat.Integration.Tests;

/// <summary>A real Kestrel host on a free loopback port, with SQLite (or a given database) in a temporary folder.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly ErrorLog _errors;

    private RunningServer(string root, SecureChatServer server, ServerOptions options, ErrorLog errors)
    {
        Root = root;
        Server = server;
        Options = options;
        _errors = errors;
    }

    public string Root { get; }

    public SecureChatServer Server { get; }

    public ServerOptions Options { get; }

    public int Port => Server.EndPoint.Port;

    public string ServerTranscripts => Options.Transcripts;

    /// <summary>Every log entry of level Error or above, from start to shutdown: a server that handles what a
    /// peer does never logs one.</summary>
    public IReadOnlyList<string> ErrorLogs => _errors.Entries;

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
        var errors = new ErrorLog();
        var server = await SecureChatServer.CreateAsync(options, logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddProvider(errors);
        });
        await server.StartAsync();
        return new RunningServer(root, server, options, errors);
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

    /// <summary>Whether disposing also deletes the temporary folder (transcripts, database); off by default so
    /// that a test may read the files after the server stopped.</summary>
    public bool DeleteFilesOnDispose { get; set; }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Server.StopAsync();
        }
        finally
        {
            await Server.DisposeAsync();
            if (DeleteFilesOnDispose)
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }
}

/// <summary>Collects the server's log entries of level Error and above.</summary>
internal sealed class ErrorLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
