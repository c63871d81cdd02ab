using System.CommandLine;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>demo</c> verb.</summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "Not available yet.");
        command.SetAction(CliRunner.Guard((_, _) => Task.FromResult(CliRunner.UsageError)));
        return command;
    }
}
