namespace SecureChat.Cli.Tests.Support;

/// <summary>The <c>openssl</c> command, as an independent second opinion on the files <c>securechat</c> writes.</summary>
public static class Openssl
{
    /// <summary>Runs <c>openssl ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static Task<ChildProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        ChildProcess.RunAsync("openssl", arguments, new ChildProcessOptions { WorkingDirectory = workingDirectory });

    /// <summary>Asserts that <c>openssl verify</c> accepts <paramref name="certificate"/> under <paramref name="caCertificate"/>,
    /// for <paramref name="purpose"/> (<c>sslserver</c>, <c>sslclient</c>) when given.</summary>
    public static async Task AssertVerifiesAsync(string workingDirectory, string caCertificate, string certificate, string? purpose = null)
    {
        var result = await VerifyAsync(workingDirectory, caCertificate, certificate, purpose);
        Assert.True(result.ExitCode == 0 && result.StandardOutput.Contains(": OK", StringComparison.Ordinal), $"openssl verify failed: {result}");
    }

    /// <summary>Runs <c>openssl verify -CAfile CA [-purpose P] CERT</c>.</summary>
    public static Task<ChildProcessResult> VerifyAsync(string workingDirectory, string caCertificate, string certificate, string? purpose = null)
    {
        string[] arguments = purpose is null
            ? ["verify", "-CAfile", caCertificate, certificate]
            : ["verify", "-CAfile", caCertificate, "-purpose", purpose, certificate];
        return RunAsync(workingDirectory, arguments);
    }

    /// <summary>The SHA-256 fingerprint as <c>openssl x509 -fingerprint -sha256</c> prints it (colon-separated hex).</summary>
    public static async Task<string> FingerprintAsync(string workingDirectory, string certificate)
    {
        var result = await RunAsync(workingDirectory, "x509", "-in", certificate, "-noout", "-fingerprint", "-sha256");
        Assert.True(result.ExitCode == 0, $"openssl x509 failed: {result}");
        return result.StandardOutput.Trim().Split('=', 2)[1];
    }
}
