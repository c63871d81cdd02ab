using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SecureChat.Server;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>server</c> verb: runs the Kestrel host until Ctrl-C or SIGTERM, then ends every session with receipts.</summary>
internal static class ServerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var listen = new Option<string?>("--listen") { Description = "Address to listen on, HOST:PORT (default 127.0.0.1:7443)." };
        var pki = new Option<string?>("--pki") { Description = "Folder with ca.crt, server.crt, server.key and optional revoked.txt (default ./pki)." };
        var db = new Option<string?>("--db") { Description = "User store: sqlite:PATH (default sqlite:./data/users.db) or mysql:CONNECTION-STRING." };
        var transcripts = new Option<string?>("--transcripts") { Description = "Folder for session transcripts (default ./data/transcripts)." };
        var serverName = new Option<string?>("--server-name") { Description = "Name in the server certificate (default server.local)." };
        var clientName = new Option<string?>("--client-name") { Description = "Name required in client certificates in shared mode (default client.local)." };
        var identity = new Option<string?>("--identity") { Description = "shared (one client.local certificate) or per-user (certificate names the account e-mail)." };
        var config = new Option<string?>("--config") { Description = "JSON settings file (same keys as the flags, e.g. {\"Listen\": \"127.0.0.1:7443\"}); default ./securechat.json in the current folder, if present." };
        var keepPlaintext = new Option<bool?>("--keep-plaintext") { Description = "Keep message plaintext in the server's transcripts (off by default)." };
        var maxConnections = new Option<int?>("--max-connections") { Description = "Concurrent connections before SERVER_BUSY (default 10000)." };
        var redis = new Option<string?>("--redis") { Description = "Redis HOST:PORT: run as one node of several sharing the database (see docs/SCALING.md); without it the server is a single node." };
        var node = new Option<string?>("--node") { Description = "This node's name, unique among the nodes (required with --redis)." };
        var logLevel = new Option<LogLevel?>("--log-level") { Description = "Minimum log level (default Information)." };

        var command = new Command("server", "Run the SecureChat server (Kestrel) until Ctrl-C or SIGTERM.")
        {
            listen, pki, db, transcripts, serverName, clientName, identity, config, keepPlaintext, maxConnections, redis, node, logLevel,
        };
        command.SetAction(CliRunner.Guard(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, object? value)
            {
                if (value is not null)
                {
                    overrides[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Set(nameof(ServerOptions.Listen), parse.GetValue(listen));
            Set(nameof(ServerOptions.Pki), parse.GetValue(pki));
            Set(nameof(ServerOptions.Db), parse.GetValue(db));
            Set(nameof(ServerOptions.Transcripts), parse.GetValue(transcripts));
            Set(nameof(ServerOptions.ServerName), parse.GetValue(serverName));
            Set(nameof(ServerOptions.ClientName), parse.GetValue(clientName));
            Set(nameof(ServerOptions.Identity), parse.GetValue(identity));
            Set(nameof(ServerOptions.KeepPlaintext), parse.GetValue(keepPlaintext));
            Set(nameof(ServerOptions.MaxConnections), parse.GetValue(maxConnections));
            Set(nameof(ServerOptions.Redis), parse.GetValue(redis));
            Set(nameof(ServerOptions.Node), parse.GetValue(node));
            var options = SecureChatServer.BindOptions(SecureChatServer.LoadConfiguration(parse.GetValue(config), overrides));
            var level = parse.GetValue(logLevel) ?? LogLevel.Information;
            ClientSetup.RequirePrivateKeyFile(Path.Combine(options.Pki, "server.key"));

            // The host logs a failed start with the whole stack trace; the exception itself reaches the user as one sentence.
            var server = await SecureChatServer.CreateAsync(options,
                    logging => logging.SetMinimumLevel(level).AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical),
                    cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                try
                {
                    await server.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e) when (SocketErrorOf(e) is { } socket)
                {
                    // Kestrel's own message names an "http://" address, which this raw TCP protocol is not.
                    throw new IOException($"cannot listen on {options.Listen}: {socket.Message}", e);
                }

                Console.WriteLine($"SecureChat server listening on {server.EndPoint} (users: {Redact(options.Db)}, transcripts: {options.Transcripts}, identity: {options.Identity}{(options.Redis is { Length: > 0 } bus ? $", node {options.Node} on Redis {bus}" : "")})");
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                Console.WriteLine(server.Runtime.LastShutdown switch
                {
                    null => "SecureChat server stopped; every open session was ended with receipts (0).",
                    { Otherwise: 0 } summary => $"SecureChat server stopped; every open session was ended with receipts ({summary.WithReceipts}).",
                    var summary => $"SecureChat server stopped; {summary.WithReceipts} sessions ended with receipts, {summary.Otherwise} without (see the log).",
                });
            }

            return 0;
        }));
        return command;
    }

    private static SocketException? SocketErrorOf(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }

    /// <summary>Hides a MySQL password before the connection string is printed.</summary>
    internal static string Redact(string db)
    {
        if (!db.StartsWith("mysql:", StringComparison.OrdinalIgnoreCase))
        {
            return db;
        }

        var parts = db["mysql:".Length..].Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase) || p.TrimStart().StartsWith("pwd", StringComparison.OrdinalIgnoreCase)
                ? p[..(p.IndexOf('=', StringComparison.Ordinal) + 1)] + "***"
                : p);
        return "mysql:" + string.Join(';', parts);
    }
}
