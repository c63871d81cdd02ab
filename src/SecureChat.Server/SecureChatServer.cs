using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SecureChat.Accounts;
using SecureChat.Evidence;

namespace SecureChat.Server;

/// <summary>Builds and runs the Kestrel host that serves protocol v1.</summary>
public sealed class SecureChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IUserStore _store;

    private SecureChatServer(WebApplication app, ServerRuntime runtime, IUserStore store)
    {
        _app = app;
        Runtime = runtime;
        _store = store;
    }

    /// <summary>The shared state of all sessions.</summary>
    public ServerRuntime Runtime { get; }

    /// <summary>The address actually listened on (after port 0 is resolved).</summary>
    public IPEndPoint EndPoint
    {
        get
        {
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address);
            return new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
        }
    }

    /// <summary>Reads configuration in the usual .NET order: JSON file, then <c>SECURECHAT_*</c> environment
    /// variables, then the given overrides (command-line flags).</summary>
    public static IConfiguration LoadConfiguration(string? jsonFile, IEnumerable<KeyValuePair<string, string?>> overrides) =>
        new ConfigurationBuilder()
            .AddJsonFile(jsonFile is null ? "securechat.json" : Path.GetFullPath(jsonFile), optional: jsonFile is null)
            .AddEnvironmentVariables("SECURECHAT_")
            .AddInMemoryCollection(overrides)
            .Build();

    /// <summary>Binds <see cref="ServerOptions"/> from configuration.</summary>
    public static ServerOptions BindOptions(IConfiguration configuration)
    {
        var options = new ServerOptions();
        configuration.Bind(options);
        return options;
    }

    /// <summary>Loads keys, opens the user store (creating or migrating its schema) and builds the host.</summary>
    /// <exception cref="SecureChat.Pki.PkiException">PKI files are missing or invalid.</exception>
    /// <exception cref="UserStoreUnavailableException">The database cannot be reached at start-up.</exception>
    public static async Task<SecureChatServer> CreateAsync(ServerOptions options, Action<ILoggingBuilder>? configureLogging = null,
        TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is [var first, ..])
        {
            throw new ArgumentException(first);
        }

        var endPoint = ParseEndPoint(options.Listen);
        var clock = time ?? TimeProvider.System;
        var pki = ServerPki.Load(options, clock.GetUtcNow());
        var store = UserStoreFactory.Create(options.Db);
        await store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        TranscriptDirectory.EnsureWritable(options.Transcripts);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Kestrel's start-up lines speak of "http://" addresses, which this raw TCP protocol is not.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        var credentials = new CredentialService(store, options.Argon2, timeProvider: clock);
        builder.Services.AddSingleton(sp => new ServerRuntime(options, pki, credentials, sp.GetRequiredService<ILoggerFactory>(), clock));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ReceiptWaitSeconds + 10));
        builder.Services.AddHostedService<SessionShutdown>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint, listen => listen.UseConnectionHandler<ChatConnectionHandler>());
        });
        var app = builder.Build();
        return new SecureChatServer(app, app.Services.GetRequiredService<ServerRuntime>(), store);
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Ends every session with receipts, then stops.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Waits until Ctrl-C, SIGTERM or <paramref name="cancellationToken"/>, then shuts down gracefully
    /// (every open session gets its receipt first).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        Runtime.Pki.Dispose();
        (_store as IDisposable)?.Dispose();
    }

    /// <summary>Parses <c>HOST:PORT</c> (IPv4, <c>[IPv6]:PORT</c> or <c>localhost:PORT</c>).</summary>
    public static IPEndPoint ParseEndPoint(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var normalized = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" + text[9..] : text;
        return IPEndPoint.TryParse(normalized, out var endPoint) && normalized.Contains(':', StringComparison.Ordinal)
            ? endPoint
            : throw new ArgumentException($"'{text}' is not HOST:PORT (for example 127.0.0.1:7443).", nameof(text));
    }
}
