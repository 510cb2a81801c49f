using EventStore.Tests;

namespace EventStore.EventStoreDb.Tests;

/// <summary>The shared conformance suite against a real EventStoreDB; reported skipped when none is reachable.</summary>
[RequiresEventStoreDb]
public sealed class EventStoreDbEventStoreTests(EventStoreDbFixture fixture) : EventStoreConformance, IClassFixture<EventStoreDbFixture>
{
    protected override IEventStore Store => fixture.Store;

    protected override ICheckpointStore Checkpoints => fixture.Store;

    [Fact]
    public async Task A_checkpoint_stays_out_of_the_global_log()
    {
        var name = $"hidden-{Guid.NewGuid():N}";
        var all = await fixture.Store.ReadAllAsync(null, int.MaxValue);
        ulong? start = all.Count > 0 ? all[^1].Position : null;
        await fixture.Store.StoreCheckpointAsync(name, 7);
        Assert.DoesNotContain(await fixture.Store.ReadAllAsync(start, int.MaxValue), e => e.Stream.Contains(name, StringComparison.Ordinal));
    }
}
