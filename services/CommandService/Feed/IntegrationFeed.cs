using Accounts.Contracts.Avro;
using Accounts.Messaging.Feed;
using CommandService.Infrastructure;
using CommandService.Integration;
using EventStore;

namespace CommandService.Feed;

/// <summary>
/// The integration messages in global log order, read from the event store and mapped as the relay maps them
/// (<see cref="IntegrationMessages"/>, the bus's Avro codec): the replay source of the other services, which never read this
/// service's store. Events of other streams (address reservations) are skipped, their positions still advance the page.
/// </summary>
public sealed class IntegrationFeed(IEventStore store, AccountKeys keys, ICheckpointStore checkpoints, AvroSingleObjectCodec codec)
{
    public const int MaxPage = 5000;

    public async Task<FeedPage> ReadAsync(ulong? after, int limit, CancellationToken cancellationToken)
    {
        var head = await store.ReadHeadAsync(cancellationToken);
        var events = await store.ReadAllAsync(after, limit, cancellationToken);
        var items = await ToItemsAsync(events.Where(e => e.Stream.StartsWith(UserStreams.Prefix, StringComparison.Ordinal)).ToList(), cancellationToken);
        return new FeedPage(items, events.Count > 0 ? events[^1].Position : after, head);
    }

    /// <summary>One account's messages from a version on (empty when the account does not exist).</summary>
    public async Task<FeedPage> ReadUserAsync(Guid userId, long fromVersion, CancellationToken cancellationToken)
    {
        var head = await store.ReadHeadAsync(cancellationToken);
        var events = await store.ReadStreamAsync(UserStreams.For(userId), fromVersion - 1, cancellationToken: cancellationToken);
        return new FeedPage(await ToItemsAsync(events, cancellationToken), events.Count > 0 ? events[^1].Position : null, head);
    }

    /// <summary>The head and the relay's checkpoint (stored every <c>Relay:CheckpointEvery</c> publishes, and when it idles at most every <c>Relay:CheckpointInterval</c>).</summary>
    public async Task<FeedProgress> ReadProgressAsync(CancellationToken cancellationToken) =>
        new(await store.ReadHeadAsync(cancellationToken), await checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName, cancellationToken));

    /// <summary>Each event with its personal fields opened with the account's key (erased accounts read as erased), as the relay publishes it.</summary>
    private async Task<List<FeedItem>> ToItemsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var opened = await keys.OpenScanAsync(events, cancellationToken);
        var items = new List<FeedItem>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var message = IntegrationMessages.From(opened[i], events[i].Revision + 1);
            items.Add(new FeedItem(events[i].Position, events[i].EventId, message.GetType().Name, message.UserId, message.Version, codec.Encode(message)));
        }
        return items;
    }
}
