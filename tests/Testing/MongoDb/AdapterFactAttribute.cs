using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Accounts.Testing.MongoDb;

/// <summary>
/// A fact of a conformance suite (declared once in the abstract suite, run by each adapter's class). In a class marked
/// <see cref="RequiresMongoDbAttribute"/> it is reported SKIPPED, with the reason, when no MongoDB can be had.
/// </summary>
[XunitTestCaseDiscoverer("Accounts.Testing.MongoDb.AdapterFactDiscoverer", "Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class AdapterFactAttribute : FactAttribute;

/// <summary>Marks a test class whose adapter facts need a MongoDB server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresMongoDbAttribute : Attribute;

public sealed class AdapterFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        if (MongoDbServer.SkipReason is { } reason && testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresMongoDbAttribute)).Any())
        {
            return
            [
                new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                    discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason),
            ];
        }
        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
