namespace EventStore.EventStoreDb.Tests;

/// <summary>Marks a test class whose tests need a real EventStoreDB; they are reported skipped when none can be had.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresEventStoreDbAttribute : Attribute;
