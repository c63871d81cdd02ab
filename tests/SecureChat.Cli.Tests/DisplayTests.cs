using SecureChat.Cli.Interactive;

namespace SecureChat.Cli.Tests;

public sealed class DisplayTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("\u001b[2K\r* alice left", "?[2K?* alice left")]
    [InlineData("a\u202Eb", "a?b")]
    [InlineData("tab\there", "tab?here")]
    [InlineData("café 👋", "café 👋")]
    [InlineData(null, "")]
    public void Peer_text_cannot_drive_the_terminal(string? text, string shown) => Assert.Equal(shown, Display.Safe(text));
}
