using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SecureChat.Accounts;
using SecureChat.Accounts.Conversations;
using SecureChat.Evidence;
using SecureChat.Server.Cluster;

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

    /// <summary>The name of the settings file read from the current folder when no <c>--config</c> is given.</summary>
    public const string DefaultConfigFile = "securechat.json";

    /// <summary>Reads configuration in the usual .NET order: JSON file, then <c>SECURECHAT_*</c> environment
    /// variables, then the given overrides (command-line flags).</summary>
    /// <param name="jsonFile">The settings file; null reads <c>./securechat.json</c> from the current folder if there is one.</param>
    /// <param name="overrides">Settings from the command line.</param>
    /// <exception cref="ArgumentException">The file is not valid JSON or names a setting that does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file given explicitly does not exist.</exception>
    public static IConfiguration LoadConfiguration(string? jsonFile, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var path = Path.GetFullPath(jsonFile ?? DefaultConfigFile);
        var shown = jsonFile ?? DefaultConfigFile;
        if (jsonFile is not null && Directory.Exists(path))
        {
            throw new ArgumentException($"--config '{jsonFile}' is a folder; give the JSON settings file.");
        }

        if (jsonFile is not null && !File.Exists(path))
        {
            throw new FileNotFoundException(null, jsonFile);
        }

        var fromFile = File.Exists(path) ? ReadSettingsFile(path, shown) : null;
        var builder = new ConfigurationBuilder();
        if (fromFile is not null)
        {
            builder.AddConfiguration(fromFile);
        }

        return builder.AddEnvironmentVariables("SECURECHAT_").AddInMemoryCollection(overrides).Build();
    }

    /// <summary>Binds <see cref="ServerOptions"/> from configuration.</summary>
    /// <exception cref="ArgumentException">A value has the wrong type (a word where a number is expected).</exception>
    public static ServerOptions BindOptions(IConfiguration configuration)
    {
        var options = new ServerOptions();
        foreach (var property in SettingProperties())
        {
            if (configuration[property.Name] is not { } text)
            {
                continue;
            }

            try
            {
                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                property.SetValue(options, Convert.ChangeType(text, type, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new ArgumentException($"the setting {property.Name} must be {Describe(property.PropertyType)}, not '{text}'.", e);
            }
        }

        return options;
    }

    private static IConfiguration ReadSettingsFile(string path, string shown)
    {
        IConfigurationRoot settings;
        try
        {
            settings = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            var reason = (e.InnerException ?? e).Message;
            throw new ArgumentException($"the settings file '{shown}' is not valid JSON: {reason}", e);
        }

        var known = SettingProperties().Select(p => p.Name).ToList();
        foreach (var section in settings.GetChildren())
        {
            if (!known.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"the settings file '{shown}' has an unknown setting '{section.Key}'; known settings: {string.Join(", ", known)}.");
            }

            if (section.Value is null && section.GetChildren().Any())
            {
                throw new ArgumentException($"the setting {section.Key} in '{shown}' must be a single value, not an object or a list.");
            }
        }

        return settings;
    }

    private static IEnumerable<System.Reflection.PropertyInfo> SettingProperties() =>
        typeof(ServerOptions).GetProperties().Where(p => p.CanWrite && p.SetMethod!.IsPublic);

    private static string Describe(Type type) => type == typeof(bool) ? "true or false"
        : type == typeof(int) ? "a whole number"
        : type == typeof(double) ? "a number"
        : "text";

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
        var conversations = ConversationStoreFactory.Create(options.Db);
        await conversations.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
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
        builder.Services.AddSingleton<IMessageBus>(sp => string.IsNullOrWhiteSpace(options.Redis) ? new LocalBus()
            : RedisBus.ConnectAsync(options.Redis, options.Node, sp.GetRequiredService<ILoggerFactory>().CreateLogger<RedisBus>(),
                TimeSpan.FromSeconds(options.PresenceTtlSeconds)).GetAwaiter().GetResult());
        builder.Services.AddSingleton(sp => new ServerRuntime(options, pki, credentials, sp.GetRequiredService<ILoggerFactory>(), clock,
            store, conversations, sp.GetRequiredService<IMessageBus>()));
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

    /// <summary>Starts listening (and, as one node of several, listening to the others first).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Runtime.Conversations.StartBusAsync(cancellationToken).ConfigureAwait(false);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends every session with receipts, then stops.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Waits until Ctrl-C, SIGTERM or <paramref name="cancellationToken"/>, then shuts down gracefully
    /// (every open session gets its receipt first).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        await Runtime.Conversations.DisposeAsync().ConfigureAwait(false);
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
