using Xunit.Abstractions;
using Xunit.Sdk;

namespace SecureChat.Accounts.Tests.Infrastructure;

/// <summary>A fact that is skipped at discovery when its test class needs a database that is not available.</summary>
/// <remarks>xunit 2 cannot skip at run time, and the contract's facts are inherited by every backend's class, so the
/// decision is made per test class by <see cref="BackendTestDiscoverer"/>.</remarks>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("SecureChat.Accounts.Tests.Infrastructure.BackendTestDiscoverer", "SecureChat.Accounts.Tests")]
public sealed class BackendFactAttribute : FactAttribute;

/// <summary>A theory that is skipped at discovery when its test class needs a database that is not available.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("SecureChat.Accounts.Tests.Infrastructure.BackendTestDiscoverer", "SecureChat.Accounts.Tests")]
public sealed class BackendTheoryAttribute : TheoryAttribute;

/// <summary>Marks a test class whose backend tests need the MariaDB named by <c>SECURECHAT_TEST_MYSQL</c>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresMySqlAttribute : Attribute;

/// <summary>Skips backend tests of a class marked <see cref="RequiresMySqlAttribute"/> when MariaDB is unavailable outside CI.</summary>
public sealed class BackendTestDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needsMySql = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresMySqlAttribute).AssemblyQualifiedName).Any();
        if (needsMySql && MySqlTestEnvironment.CurrentSkipReason is { } reason)
        {
            return [new SkippedTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        IXunitTestCaseDiscoverer inner = factAttribute is IReflectionAttributeInfo { Attribute: TheoryAttribute }
            ? new TheoryDiscoverer(diagnosticMessageSink)
            : new FactDiscoverer(diagnosticMessageSink);
        return inner.Discover(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>A test case reported as skipped with a reason decided at discovery.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = "";

    [Obsolete("Called by the de-serializer only.")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod, string reason)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod) => _reason = reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        base.Serialize(data);
        data.AddValue("SkipReasonText", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _reason = data.GetValue<string>("SkipReasonText");
        base.Deserialize(data);
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
}
