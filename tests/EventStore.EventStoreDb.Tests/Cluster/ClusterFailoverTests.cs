using EventStore.EventStoreDb.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;
using State = EventStore.EventStoreDb.Protocol.MemberInfo.Types.VNodeState;

namespace EventStore.EventStoreDb.Tests.Cluster;

/// <summary>
/// The adapter against three in-process gRPC nodes: it finds the leader by gossip, writes there with requires-leader, and
/// when the leader changes (a "not leader" answer) or its node is lost, it asks the gossip again and retries the append
/// with the same event ids.
/// </summary>
public sealed class ClusterFailoverTests : IAsyncLifetime
{
    private readonly List<FakeNode> _nodes = [];

    public async Task InitializeAsync()
    {
        foreach (var host in new[] { "node-1", "node-2", "node-3" })
            _nodes.Add(await FakeNode.StartAsync(host));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    private void Elect(int leader)
    {
        MemberInfo[] members = [.. _nodes.Select((node, i) => ClusterMembersTests.Member(node.Host, i == leader ? State.Leader : State.Follower, alive: !node.Stopped))];
        for (var i = 0; i < _nodes.Count; i++)
            (_nodes[i].Members, _nodes[i].Leads) = (members, i == leader);
    }

    private EventStoreDbEventStore Store(string connectionString)
    {
        var pipelines = new ServiceCollection().AddEventStoreDbResilience().BuildServiceProvider().GetRequiredService<ResiliencePipelineProvider<string>>();
        return new EventStoreDbEventStore(EventStoreDbConnectionString.Parse(connectionString), pipelines,
            address => _nodes.Single(node => node.Host == address.Host).Channel());
    }

    private static EventData Event() => new(Guid.NewGuid(), "Tested", new byte[] { 1 }, new EventMetadata(null, null, null, null, DateTimeOffset.UnixEpoch));

    [Fact]
    public async Task The_leader_found_by_gossip_takes_the_writes_with_requires_leader()
    {
        Elect(1);
        using var store = Store("esdb://node-1:2113,node-2:2113,node-3:2113?tls=false&nodePreference=follower");
        var written = Event();

        await store.AppendAsync("s-1", ExpectedRevision.NoStream, [written]);

        var append = Assert.Single(_nodes[1].Appends);
        Assert.Equal("true", append.RequiresLeader);
        Assert.Equal([written.EventId], append.EventIds);
        Assert.Empty(_nodes[0].Appends);
        Assert.Equal(new Uri("http://node-2:2113"), store.Nodes?.Leader);
        Assert.NotEqual(new Uri("http://node-2:2113"), store.Nodes?.Reader); // reads go to a follower
    }

    [Fact]
    public async Task After_a_not_leader_answer_the_new_leader_is_found_and_the_same_events_are_appended_there()
    {
        Elect(0);
        using var store = Store("esdb+discover://node-3:2113?tls=false");
        await store.AppendAsync("s-1", ExpectedRevision.NoStream, [Event()]);
        Elect(2); // node-1 stepped down: it answers not-leader until the adapter asks the gossip again

        var retried = Event();
        await store.AppendAsync("s-2", ExpectedRevision.NoStream, [retried]);

        Assert.Equal([retried.EventId], _nodes[0].Appends[^1].EventIds); // refused there (nothing written) ...
        Assert.Equal([retried.EventId], Assert.Single(_nodes[2].Appends).EventIds); // ... and written at the new leader
        Assert.Equal(new Uri("http://node-3:2113"), store.Nodes?.Leader);
    }

    [Fact]
    public async Task When_the_leaders_node_is_lost_the_next_seed_names_the_new_leader()
    {
        Elect(0);
        using var store = Store("esdb://node-1:2113,node-2:2113,node-3:2113?tls=false");
        await store.AppendAsync("s-1", ExpectedRevision.NoStream, [Event()]);
        _nodes[0].Stopped = true; // its gossip and its writes are Unavailable now
        Elect(1);

        var written = Event();
        await store.AppendAsync("s-2", ExpectedRevision.NoStream, [written]);

        Assert.Equal([written.EventId], Assert.Single(_nodes[1].Appends).EventIds);
        Assert.Equal(new Uri("http://node-2:2113"), store.Nodes?.Leader);
    }
}
