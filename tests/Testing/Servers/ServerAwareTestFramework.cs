using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Accounts.Testing.Servers;

/// <summary>
/// The one way a test is skipped for want of a server. A conformance suite's tests are plain [Fact]s inherited from an
/// abstract base, so no attribute on them can say "skip", and xunit 2 has no runtime skip (Assert.Skip needs v3). This
/// framework decides at discovery instead: every test of a class marked with a <see cref="RequiresServerAttribute"/>
/// whose server cannot be had is reported as a skipped test case carrying the server's reason (the run summary counts it
/// skipped, never passed; <c>make test</c> prints the reasons). Otherwise discovery is xunit's own. A test assembly opts in
/// with <c>[assembly: TestFramework(ServerAwareTestFramework.TypeName, ServerAwareTestFramework.AssemblyName)]</c>.
/// </summary>
public sealed class ServerAwareTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "Accounts.Testing.Servers.ServerAwareTestFramework";

    public const string AssemblyName = "Testing";

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var isTest = testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any();
            if (!isTest || SkipReasonOf(testMethod.TestClass.Class) is not { } reason)
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }

        private static string? SkipReasonOf(ITypeInfo testClass) =>
            testClass.GetCustomAttributes(typeof(RequiresServerAttribute))
                .Select(attribute => ((IReflectionAttributeInfo)attribute).Attribute)
                .OfType<RequiresServerAttribute>()
                .Select(requirement => requirement.SkipReason)
                .FirstOrDefault(reason => reason is not null);
    }
}
