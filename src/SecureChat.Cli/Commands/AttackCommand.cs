using System.CommandLine;
using SecureChat.Cli.Attack;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>attack</c> verb: the attack lab, for seeing each defence refuse a real attack.</summary>
internal static class AttackCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "One of: " + string.Join(", ", AttackLab.Scenarios) + "." };
        var target = new Option<string?>("--target") { Description = "Attack this server, HOST:PORT (client credentials from --pki). Without it a local server is started." };
        var pki = new Option<string?>("--pki") { Description = "With --target: folder with ca.crt, client.crt, client.key (default ./pki)." };
        var local = new Option<bool>("--local") { Description = "Start a local server to attack (the default when --target is absent)." };
        var pcap = new Option<string?>("--pcap") { Description = "Write every frame the man in the middle relayed (both legs) to this pcapng file, for Wireshark." };
        var command = new Command("attack", "Run an attack scenario through a real TCP man in the middle and show how it is refused.") { scenario, target, pki, local, pcap };
        command.SetAction(CliRunner.Guard((parse, cancellationToken) =>
            AttackLab.RunAsync(parse.GetValue(scenario)!, parse.GetValue(local) ? null : parse.GetValue(target), parse.GetValue(pki), parse.GetValue(pcap), cancellationToken)));
        return command;
    }
}
