using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using SecureChat.Cli.Interactive;
using SecureChat.Cli.Tui;
using SecureChat.Protocol.Session;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>client</c> verb: an interactive chat, or a scriptable one for pipelines and tests.</summary>
internal static class ClientCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connect = new Option<string>("--connect") { Description = "Server address HOST:PORT, or several separated by commas (nodes of one chat: the first that answers is used, and a reconnect moves on to the next).", DefaultValueFactory = _ => "127.0.0.1:7443" };
        var pki = new Option<string>("--pki") { Description = "Folder with ca.crt, client.crt and client.key.", DefaultValueFactory = _ => "./pki" };
        var cert = new Option<string?>("--cert") { Description = "Client certificate file (overrides the one in --pki)." };
        var key = new Option<string?>("--key") { Description = "Client private key file (with --cert)." };
        var ca = new Option<string?>("--ca") { Description = "Root CA certificate file (overrides the one in --pki)." };
        var serverName = new Option<string>("--server-name") { Description = "Name the server certificate must carry.", DefaultValueFactory = _ => "server.local" };
        var transcripts = new Option<string>("--transcripts") { Description = "Folder for this client's transcripts.", DefaultValueFactory = _ => "./data/client-transcripts" };
        var register = new Option<bool>("--register") { Description = "Scripted: register a new account." };
        var login = new Option<bool>("--login") { Description = "Scripted: log in." };
        var email = new Option<string?>("--email") { Description = "Account e-mail address." };
        var username = new Option<string?>("--username") { Description = "Username (with --register)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (else SECURECHAT_PASSWORD, else a prompt on the terminal before connecting)." };
        var send = new Option<string[]>("--send") { Description = "Scripted: a message to send (repeatable). Without it, lines of standard input are sent." };
        var receive = new Option<int>("--receive") { Description = "Scripted: wait for this many chat messages before ending.", DefaultValueFactory = _ => 0 };
        var timeout = new Option<int>("--timeout") { Description = "Scripted: seconds to wait for --receive.", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Scripted: print received messages and the outcome as JSON lines." };
        var room = new Option<string?>("--room") { Description = "Join this room (#name, created on first join) after logging in; sent lines go there (interactive: it is the current conversation)." };
        var to = new Option<string?>("--to") { Description = "Sent lines are direct messages to this user (bob or @bob) (interactive: the current conversation)." };
        var history = new Option<int>("--history") { Description = "First ask for the last N messages (0-100) of the --room, the --to conversation, or #lobby.", DefaultValueFactory = _ => 0 };
        var plain = new Option<bool>("--plain") { Description = "Interactive: the line client instead of the full-screen one (also when standard output is not a terminal or TERM is dumb)." };

        var command = new Command("client", "Connect to a SecureChat server: interactive, or scripted with --register/--login.")
        {
            connect, pki, cert, key, ca, serverName, transcripts, register, login, email, username, passwordStdin, send, receive, timeout, json, room, to, history, plain,
        };
        command.SetAction(CliRunner.Guard(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(register) && parse.GetValue(login))
            {
                throw new ArgumentException("--register and --login exclude each other: give one.");
            }

            var options = ClientSetup.Load(parse.GetValue(pki)!, parse.GetValue(cert), parse.GetValue(key), parse.GetValue(ca),
                parse.GetValue(serverName)!, parse.GetValue(transcripts)!);
            var servers = ServerList.Parse(parse.GetValue(connect)!);
            var scripted = parse.GetValue(register) || parse.GetValue(login);
            var conversation = ScriptedChat.Destination(parse.GetValue(room), parse.GetValue(to));
            if (parse.GetValue(history) is < 0 or > Conversations.MaxHistory)
            {
                throw new ArgumentException($"--history must be between 0 and {Conversations.MaxHistory}.");
            }

            if (!scripted)
            {
                if (Console.IsInputRedirected)
                {
                    throw new ArgumentException("Standard input is not a terminal: use --register or --login with --email and --password-stdin.");
                }

                var server = servers.Current;
                var identityMode = IdentityMode(options.Identity.Certificate);
                var start = new ChatStart(conversation, parse.GetValue(room) is not null, parse.GetValue(history));
                Func<SessionKeeper, CancellationToken, Task<int>> chat = parse.GetValue(plain) || !TuiChat.Usable
                    ? (keeper, token) => LineChat.ChatAsync(keeper, start, token)
                    : (keeper, token) => TuiChat.ChatAsync(keeper, server, identityMode, start, token);
                return await InteractiveChat.RunAsync(servers, options, cancellationToken, chat).ConfigureAwait(false);
            }

            var script = new ScriptedChat.Request(
                Register: parse.GetValue(register),
                Email: parse.GetValue(email) ?? throw new ArgumentException("--email is required with --register or --login."),
                Username: parse.GetValue(username),
                PasswordFromStdin: parse.GetValue(passwordStdin),
                Messages: parse.GetValue(send) ?? [],
                Receive: parse.GetValue(receive),
                Timeout: TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Json: parse.GetValue(json))
            {
                Conversation = conversation,
                JoinRoom = parse.GetValue(room) is not null,
                History = parse.GetValue(history),
            };
            return await ScriptedChat.RunAsync(servers, options, script, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>How the client certificate identifies this user: a per-user certificate names an e-mail address.</summary>
    private static string IdentityMode(X509Certificate2 certificate) =>
        certificate.GetNameInfo(X509NameType.SimpleName, false).Contains('@', StringComparison.Ordinal) ? "per-user identity" : "shared identity";
}
