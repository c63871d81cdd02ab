using System.CommandLine;

namespace SecureChat.Cli.Commands;

/// <summary>The <c>verify</c> verb.</summary>
internal static class VerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("verify", "Not available yet.");
        command.SetAction(CliRunner.Guard((_, _) => Task.FromResult(CliRunner.UsageError)));
        return command;
    }
}
