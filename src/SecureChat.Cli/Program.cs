using System.CommandLine;
using SecureChat.Cli.Commands;

namespace SecureChat.Cli;

/// <summary>Entry point of the <c>securechat</c> command.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen verb; a command line that does not parse exits with the
    /// usage-error code, never with the code of a failed attempt.</summary>
    public static async Task<int> Main(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        var code = await parse.InvokeAsync().ConfigureAwait(false);
        return parse.Errors.Count > 0 && code != 0 ? CliRunner.UsageError : code;
    }

    /// <summary>The whole command tree (also used by tests).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("SecureChat: end-to-end authenticated chat with auditable transcripts, without TLS.");
        root.Subcommands.Add(PkiCommands.Create());
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(ClientCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(AttackCommand.Create());
        return root;
    }
}
