using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("EventStore.EventStoreDb.Tests.ServerAwareTestFramework", "EventStore.EventStoreDb.Tests")]

namespace EventStore.EventStoreDb.Tests;

/// <summary>
/// The conformance suite's tests are [Fact]s inherited from the abstract base, so no attribute on them can say "skip".
/// xunit 2 has no runtime skip either (Assert.Skip needs v3). This framework decides at discovery instead: every test of
/// a class marked <see cref="RequiresEventStoreDbAttribute"/> is reported as a skipped test case carrying
/// <see cref="EventStoreDbServer.SkipReason"/> when no server source exists; otherwise discovery is xunit's own. The run
/// summary then counts them as skipped (never passed), and with a server they run and can fail.
/// </summary>
public sealed class ServerAwareTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var needsServer = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresEventStoreDbAttribute)).Any();
            var isTest = testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any();
            if (!needsServer || !isTest || EventStoreDbServer.Unavailable is not { } reason)
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
