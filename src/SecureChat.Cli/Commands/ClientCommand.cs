using System.CommandLine;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>client</c> verb.</summary>
internal static class ClientCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("client", "Not available yet.");
        command.SetAction(CliRunner.Guard((_, _) => Task.FromResult(CliRunner.UsageError)));
        return command;
    }
}
