namespace SecureChat.Cli.Tests;

public sealed class PkiHelpTests
{
    [Theory]
    [InlineData("pki", "init", "issue", "request", "sign", "show", "revoke")]
    [InlineData("pki init", "--out", "--server-name", "--client-name", "--days", "--force")]
    [InlineData("pki issue", "--role", "--name", "--pki", "--out", "--days", "--key", "--force", "rsa2048", "p256")]
    [InlineData("pki request", "--name", "EMAIL", "--out", "--key", "--force", "p256", "rsa3072", "mode 0600")]
    [InlineData("pki sign", "--pki", "--csr", "--role", "--name", "--days", "--out", "--force")]
    [InlineData("pki show", "FILE", "--json")]
    [InlineData("pki revoke", "--serial", "--cert", "--pki", "revoked.txt")]
    public async Task Every_pki_verb_explains_itself(string verb, params string[] mentioned)
    {
        var result = await CliProcess.RunAsync([.. verb.Split(' '), "--help"]);

        CliAssert.Succeeded(result);
        Assert.Contains($"securechat {verb}", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Not available yet", result.StandardOutput, StringComparison.Ordinal);
        foreach (var text in mentioned)
        {
            Assert.Contains(text, result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pki_without_a_verb_fails_and_lists_the_verbs()
    {
        var result = await CliProcess.RunAsync(["pki"]);

        CliAssert.FailedWithoutStackTrace(result);
        Assert.Contains("issue", result.StandardOutput, StringComparison.Ordinal);
    }
}
