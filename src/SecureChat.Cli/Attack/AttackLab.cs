using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using SecureChat.Cli.Capture;
using SecureChat.Client;
using SecureChat.Crypto;
using SecureChat.Protocol;
using SecureChat.Protocol.Messages;
using SecureChat.Server;
using Spectre.Console;

namespace SecureChat.Cli.Attack;

/// <summary>Runs one attack scenario against a real server through a real TCP man in the middle and reports
/// what was tried and how the honest parties refused it.</summary>
internal sealed partial class AttackLab(IPEndPoint server, string pki, string work, CaptureFile? capture = null)
{
    public static readonly string[] Scenarios = ["eavesdrop", "tamper", "replay", "bad-cert", "mitm", "bruteforce"];

    private readonly List<(string Attempt, string Outcome, bool Defended)> _rows = [];

    /// <summary>Starts a local server (unless a target is given) and runs the scenario; 0 when every attempt was refused.
    /// With <paramref name="pcap"/>, every frame the man in the middle relayed is written there as pcapng.</summary>
    public static async Task<int> RunAsync(string scenario, string? target, string? pkiDirectory, string? pcap, CancellationToken cancellationToken)
    {
        if (!Scenarios.Contains(scenario))
        {
            throw new ArgumentException($"Unknown scenario '{scenario}'; choose one of: {string.Join(", ", Scenarios)}.");
        }

        var work = Directory.CreateTempSubdirectory("securechat-attack-").FullName;
        var capture = pcap is null ? null : CaptureFile.Create(pcap);
        try
        {
            if (target is not null)
            {
                var endPoint = SecureChatServer.ParseEndPoint(target);
                return await new AttackLab(endPoint, pkiDirectory ?? "./pki", work, capture).RunScenarioAsync(scenario, cancellationToken).ConfigureAwait(false);
            }

            var pki = DemoPki.MakePkiFiles(Path.Combine(work, "pki"));
            var options = new ServerOptions
            {
                Listen = "127.0.0.1:0",
                Pki = pki,
                Db = "sqlite:" + Path.Combine(work, "users.db"),
                Transcripts = Path.Combine(work, "server-transcripts"),
            };
            var host = await SecureChatServer.CreateAsync(options, l => l.SetMinimumLevel(LogLevel.Error), cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (host.ConfigureAwait(false))
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                AnsiConsole.MarkupLine($"[dim]local server on {host.EndPoint} (SQLite, fresh PKI in {Markup.Escape(work)})[/]");
                var result = await new AttackLab(host.EndPoint, pki, work, capture).RunScenarioAsync(scenario, cancellationToken).ConfigureAwait(false);
                await host.StopAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            if (capture is not null)
            {
                capture.Dispose();
                AnsiConsole.MarkupLine($"capture: {capture.Packets} packets written to [bold]{Markup.Escape(pcap!)}[/]");
            }
        }
    }

    private async Task<int> RunScenarioAsync(string scenario, CancellationToken cancellationToken)
    {
        AnsiConsole.Write(new Rule($"[bold]attack: {scenario}[/]").LeftJustified());
        await (scenario switch
        {
            "eavesdrop" => EavesdropAsync(cancellationToken),
            "tamper" => TamperAsync(cancellationToken),
            "replay" => ReplayAsync(cancellationToken),
            "bad-cert" => BadCertificateAsync(cancellationToken),
            "mitm" => MitmAsync(cancellationToken),
            _ => BruteForceAsync(cancellationToken),
        }).ConfigureAwait(false);

        var table = new Table().AddColumns("what the attacker tried", "what happened", "defended");
        foreach (var (attempt, outcome, defended) in _rows)
        {
            table.AddRow(Markup.Escape(attempt), Markup.Escape(outcome), defended ? "[green]yes[/]" : "[red]NO[/]");
        }

        AnsiConsole.Write(table);
        var all = _rows.Count > 0 && _rows.All(r => r.Defended);
        AnsiConsole.MarkupLine(all ? "[green]every attempt was refused[/]" : "[red]an attempt succeeded[/]");
        return all ? 0 : CliRunner.Failure;
    }

    private void Row(string attempt, string outcome, bool defended) => _rows.Add((attempt, outcome, defended));

    /// <summary>A man in the middle in front of the server that records into the capture file, if there is one.</summary>
    private FrameProxy Proxy(Func<bool, byte[], IEnumerable<byte[]>>? tamper = null) => new(server, tamper, capture);

    private ChatClientOptions ClientOptions(string? serverName = null, string? caFile = null, string? certFile = null, string? keyFile = null) =>
        ClientSetup.Load(pki, certFile, keyFile, caFile, serverName ?? "server.local", Path.Combine(work, "client-transcripts"));

    /// <summary>Connects (directly or through <paramref name="via"/>) and registers a fresh user.</summary>
    private async Task<(ChatClient Client, string Email, string Password)> VictimAsync(FrameProxy? via, CancellationToken cancellationToken)
    {
        var name = "victim" + Convert.ToHexStringLower(IEntropySource.System.GetBytes(3));
        var password = "pw-" + Convert.ToBase64String(IEntropySource.System.GetBytes(9));
        var client = await ChatClient.ConnectAsync("127.0.0.1", via?.Port ?? server.Port, ClientOptions(), cancellationToken).ConfigureAwait(false);
        var response = await client.RegisterAsync($"{name}@example.org", name, password, cancellationToken).ConfigureAwait(false);
        if (!response.Ok)
        {
            throw new InvalidOperationException($"the victim could not register: {response.Message}");
        }

        return (client, $"{name}@example.org", password);
    }

    /// <summary>The code of the first error frame the proxy forwarded, and who sent it.</summary>
    private static string? Refusal(FrameProxy proxy, out bool fromServer)
    {
        foreach (var (toServer, frame) in proxy.Forwarded)
        {
            if (TryDecode(frame) is ErrorMessage error)
            {
                fromServer = !toServer;
                return error.Code;
            }
        }

        fromServer = false;
        return null;
    }

    private static WireMessage? TryDecode(byte[] frame)
    {
        try
        {
            return MessageCodec.DecodeFrame(frame);
        }
        catch (ProtocolException)
        {
            return null;
        }
    }

    private static bool Contains(IEnumerable<(bool, byte[] Frame)> frames, string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        return frames.Any(f => f.Frame.AsSpan().IndexOf(needle) >= 0);
    }

    private static async Task<ChatEnded> EndedAsync(ChatClient client) =>
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.None);
}
