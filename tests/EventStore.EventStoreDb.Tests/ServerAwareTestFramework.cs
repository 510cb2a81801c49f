global using Accounts.Testing.Servers;

// Classes marked [RequiresEventStoreDb] are reported skipped, with the reason, where no EventStoreDB can be had.
[assembly: TestFramework(ServerAwareTestFramework.TypeName, ServerAwareTestFramework.AssemblyName)]
