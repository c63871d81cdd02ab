namespace SecureChat.Cli.Tests;

public sealed class CommandTreeTests
{
    [Theory]
    [InlineData("pki")]
    [InlineData("server")]
    [InlineData("client")]
    [InlineData("verify")]
    [InlineData("demo")]
    public void Every_verb_exists(string verb) =>
        Assert.Contains(Program.BuildRoot().Subcommands, c => c.Name == verb);
}
