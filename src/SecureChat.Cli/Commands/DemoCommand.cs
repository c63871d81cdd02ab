using System.CommandLine;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>demo</c> verb: the whole system in one command, each step naming the property it shows.</summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var keep = new Option<string?>("--keep") { Description = "Keep the demo's files (PKI, database, transcripts) in this folder instead of a temporary one." };
        var force = new Option<bool>("--force") { Description = "With --keep: replace a demo already kept in that folder (its transcripts will no longer verify against the new CA)." };
        var pcap = new Option<string?>("--pcap") { Description = "Also write every frame of both users' sessions to this pcapng file, for Wireshark." };
        var command = new Command("demo", "Make a PKI, start a server on SQLite, let two users chat, end with receipts and audit the transcripts.") { keep, force, pcap };
        command.SetAction(CliRunner.Guard((parse, cancellationToken) => DemoRun.RunAsync(parse.GetValue(keep), parse.GetValue(force), parse.GetValue(pcap), cancellationToken)));
        return command;
    }
}
