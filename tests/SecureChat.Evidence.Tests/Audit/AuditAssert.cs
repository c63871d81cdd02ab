using SecureChat.Evidence.Audit;

namespace SecureChat.Evidence.Tests.Audit;

/// <summary>Assertions shared by the audit tests.</summary>
internal static class AuditAssert
{
    /// <summary>The file is rejected, and the first failure is <paramref name="kind"/> on <paramref name="line"/>.</summary>
    public static void AssertFails(AuditReport report, int line, AuditFindingKind kind)
    {
        Assert.False(report.Accepted);
        Assert.False(report.Complete);
        var failure = Assert.IsType<AuditFinding>(report.FirstFailure);
        Assert.Equal((line, kind, AuditSeverity.Error), (failure.LineNumber, failure.Kind, failure.Severity));
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.Same(failure, report.Findings[0]);
    }
}
