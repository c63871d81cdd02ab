namespace SecureChat.Cli.Tests.Support;

/// <summary>Assertions about how <c>securechat</c> ended.</summary>
public static class CliAssert
{
    /// <summary>Asserts exit code 0 and nothing on standard error.</summary>
    public static void Succeeded(ChildProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"expected success, got {result}");
    }

    /// <summary>Asserts the way every expected failure must look: the given non-zero exit code, exactly one line on
    /// standard error that starts with <c>securechat: </c> and contains <paramref name="expected"/>, and no stack trace.</summary>
    public static void FailedWithOneSentence(ChildProcessResult result, string expected, int exitCode = 2)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.ExitCode == exitCode, $"expected exit code {exitCode}, got {result}");
        NoStackTrace(result);
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("securechat: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    /// <summary>Asserts a non-zero exit code and no trace of an exception in either stream; for errors reported by the
    /// command-line parser, whose wording is not ours.</summary>
    public static void FailedWithoutStackTrace(ChildProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.True(result.ExitCode != 0, $"expected a failure, got {result}");
        Assert.NotEmpty(result.StandardError);
        NoStackTrace(result);
    }

    /// <summary>Asserts that neither stream shows a stack frame or an exception type name.</summary>
    public static void NoStackTrace(ChildProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var text in new[] { result.StandardOutput, result.StandardError })
        {
            Assert.False(text.Contains("   at ", StringComparison.Ordinal), $"stack trace in output: {result}");
            Assert.False(text.Contains("Exception", StringComparison.Ordinal), $"exception name in output: {result}");
        }
    }
}
