namespace Accounts.Testing.Servers;

/// <summary>
/// Marks a test class whose tests need a server: where it cannot be had, every test of the class (its own and those it
/// inherits, such as a conformance suite's) is reported skipped with the server's reason. The test assembly must run
/// under <see cref="ServerAwareTestFramework"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public abstract class RequiresServerAttribute : Attribute
{
    /// <summary>Why the class's tests cannot run here, or null when what they need can be had.</summary>
    public abstract string? SkipReason { get; }
}

/// <summary>The class's tests need MongoDB (<c>MONGODB_URL</c> or Docker).</summary>
public sealed class RequiresMongoDbAttribute : RequiresServerAttribute
{
    public override string? SkipReason => ExternalServer.MongoDb.SkipReason;
}

/// <summary>The class's tests need EventStoreDB (<c>EVENTSTORE_URL</c> or Docker).</summary>
public sealed class RequiresEventStoreDbAttribute : RequiresServerAttribute
{
    public override string? SkipReason => ExternalServer.EventStoreDb.SkipReason;
}
