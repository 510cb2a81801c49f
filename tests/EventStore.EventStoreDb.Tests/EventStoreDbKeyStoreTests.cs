using EventStore.Tests;

namespace EventStore.EventStoreDb.Tests;

/// <summary>The key store conformance suite against a real EventStoreDB (key streams, tombstoned on destruction); skipped without one.</summary>
[RequiresEventStoreDb]
public sealed class EventStoreDbKeyStoreTests(EventStoreDbFixture fixture) : KeyStoreConformance, IClassFixture<EventStoreDbFixture>
{
    protected override IKeyStore Keys => new EventStoreDbKeyStore(fixture.Store);
}
