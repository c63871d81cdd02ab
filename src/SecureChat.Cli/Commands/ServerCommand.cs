using System.CommandLine;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>server</c> verb.</summary>
internal static class ServerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("server", "Not available yet.");
        command.SetAction(CliRunner.Guard((_, _) => Task.FromResult(CliRunner.UsageError)));
        return command;
    }
}
