using System.CommandLine;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>pki</c> verb.</summary>
internal static class PkiCommands
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("pki", "Not available yet.");
        command.SetAction(CliRunner.Guard((_, _) => Task.FromResult(CliRunner.UsageError)));
        return command;
    }
}
