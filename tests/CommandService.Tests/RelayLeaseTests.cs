using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CommandService.Infrastructure;
using CommandService.Integration;
using EventStore;
using EventStore.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Contracts = Accounts.Contracts;

namespace CommandService.Tests;

/// <summary>
/// Two command-service instances on one event store and one broker, on one fake clock: only the lease holder's relay
/// publishes, both serve HTTP, and when the holder stops the other takes the lease over once it expires. Every relayed
/// publish is a span naming the holder that published it.
/// </summary>
[Collection(RelayBroker.Name)]
public sealed class RelayLeaseTests : IClassFixture<RabbitMqFixture>, IDisposable
{
    private readonly RabbitMqFixture _broker;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<(string MessageId, string Holder)> _published = new();
    private readonly ActivityListener _spans = new()
    {
        ShouldListenTo = source => source.Name == OutboxRelay.Source.Name,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public RelayLeaseTests(RabbitMqFixture broker)
    {
        _broker = broker;
        _spans.ActivityStopped = span => _published.Enqueue(((string)span.GetTagItem("messaging.message.id")!, (string)span.GetTagItem("relay.holder")!));
        ActivitySource.AddActivityListener(_spans);
    }

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task A_lease_held_by_an_instance_that_died_is_taken_over_when_it_expires_while_http_keeps_serving()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = Directory.CreateTempSubdirectory("relay-lease-").FullName;
        await using (var store = new SqliteEventStore(Path.Combine(folder, "events.db")))
        {
            var dead = new RelayLeaseClaim("died/1", clock.GetUtcNow() + Lease);
            await store.AppendAsync(RelayLease.Stream, ExpectedRevision.NoStream,
                [new EventData(Guid.NewGuid(), RelayLease.EventType, JsonSerializer.SerializeToUtf8Bytes(dead), new EventMetadata(null, null, null, null, clock.GetUtcNow()))]);
        }
        await using var subscriber = await RawSubscriber.StartAsync(_broker.AmqpUrl);
        await using var survivor = Instance(folder, clock);

        var registered = await RegisterAsync(survivor, 5); // served while another holds the lease
        Assert.All(registered, id => Assert.Empty(PublishersOf(id)));
        clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(["died/1"], (await ClaimsAsync(survivor)).Select(claim => claim.Holder));
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitPublishedAsync(subscriber, registered);

        var holder = survivor.Services.GetRequiredService<RelayLease>().Holder;
        Assert.Equal(["died/1", holder], (await ClaimsAsync(survivor)).Select(claim => claim.Holder));
        Assert.All(registered, id => Assert.Equal([holder], PublishersOf(id)));
    }

    [Fact]
    public async Task Only_the_holders_relay_publishes_and_the_other_instance_takes_over_when_the_holder_stops()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = Directory.CreateTempSubdirectory("relay-lease-").FullName;
        await using var subscriber = await RawSubscriber.StartAsync(_broker.AmqpUrl);
        var first = Instance(folder, clock);
        var firstHolder = first.Services.GetRequiredService<RelayLease>().Holder;
        await Eventually.UntilAsync("the first instance to hold the lease", async () => (await ClaimsAsync(first)).LastOrDefault()?.Holder == firstHolder);
        await using var second = Instance(folder, clock);
        var secondHolder = second.Services.GetRequiredService<RelayLease>().Holder;

        var before = (await RegisterAsync(first, 20)).Concat(await RegisterAsync(second, 20)).ToList();
        await WaitPublishedAsync(subscriber, before);
        Assert.All(before, id => Assert.Equal([firstHolder], PublishersOf(id)));

        clock.Advance(Lease / 3); // the holder renews; the other keeps waiting
        await Eventually.UntilAsync("the holder to renew its lease", async () => await ClaimsAsync(second),
            claims => claims.Count == 2 && claims.All(claim => claim.Holder == firstHolder));
        var lastBefore = (await second.Store.ReadAllAsync(null, int.MaxValue)).Last(e => e.Stream.StartsWith(UserStreams.Prefix, StringComparison.Ordinal)).Position;
        var checkpoints = second.Services.GetRequiredService<ICheckpointStore>();
        await Eventually.UntilAsync("the holder's checkpoint behind the first 40", () => checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName), at => at == lastBefore);
        await first.StopKeepingDataAsync();

        var after = await RegisterAsync(second, 20);
        Assert.All(after, id => Assert.Empty(PublishersOf(id))); // nobody relays until the lease expires
        clock.Advance(Lease);
        await WaitPublishedAsync(subscriber, after);

        Assert.Equal(secondHolder, (await ClaimsAsync(second))[^1].Holder);
        Assert.All(after, id => Assert.Equal([secondHolder], PublishersOf(id)));
        Assert.All(before, id => Assert.Equal([firstHolder], PublishersOf(id))); // none by both
    }

    private CommandApi Instance(string folder, TimeProvider clock)
    {
        var api = new CommandApi(folder, _broker.AmqpUrl) { Clock = clock };
        api.Settings["Relay:LeaseDuration"] = Lease.ToString();
        _ = api.Services; // starts the host, and with it the relay
        return api;
    }

    private static async Task<List<string>> RegisterAsync(CommandApi api, int count)
    {
        var eventIds = new List<string>();
        foreach (var id in Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()))
        {
            (await api.RegisterAsync(id, $"{id:N}@example.org")).EnsureSuccessStatusCode();
            eventIds.Add((await api.Store.ReadStreamAsync(UserStreams.For(id)))[0].EventId.ToString());
        }
        return eventIds;
    }

    private static Task WaitPublishedAsync(RawSubscriber subscriber, List<string> eventIds) =>
        subscriber.WaitForAsync($"{eventIds.Count} registrations on the broker",
            received => eventIds.ToHashSet().IsSubsetOf(received.Select(m => m.MessageId.ToString())), TimeSpan.FromSeconds(60));

    private List<string> PublishersOf(string messageId) => [.. _published.Where(p => p.MessageId == messageId).Select(p => p.Holder)];

    private static async Task<List<RelayLeaseClaim>> ClaimsAsync(CommandApi api) =>
        [.. (await api.Store.ReadStreamAsync(RelayLease.Stream)).Select(e => JsonSerializer.Deserialize<RelayLeaseClaim>(e.Data.Span)!)];
}
