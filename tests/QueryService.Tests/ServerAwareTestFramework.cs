global using Accounts.Testing.Servers;

// Classes marked [RequiresMongoDb] are reported skipped, with the reason, where no MongoDB can be had.
[assembly: TestFramework(ServerAwareTestFramework.TypeName, ServerAwareTestFramework.AssemblyName)]
