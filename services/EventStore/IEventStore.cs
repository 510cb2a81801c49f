namespace EventStore;

/// <summary>
/// The event store port: what the command service needs of an event store, and no more.
/// Revisions count from 0 within a stream; positions order the global log (larger is later).
/// </summary>
public interface IEventStore
{
    /// <summary>Appends all events atomically, or none. Throws <see cref="WrongExpectedRevisionException"/> on a conflict.</summary>
    Task<AppendResult> AppendAsync(string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Events of one stream from a revision on, oldest first; empty when the stream does not exist.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>A page of the global log: events after <paramref name="after"/> (null: from the start), oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The position of the last event in the global log (null: the log is empty), for progress against the head.</summary>
    Task<ulong?> ReadHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Follows the global log from after <paramref name="after"/>, live, until cancelled; only events of streams whose
    /// name starts with <paramref name="streamPrefix"/> when one is given.
    /// </summary>
    IAsyncEnumerable<StoredEvent> FollowAllAsync(ulong? after, string? streamPrefix = null, CancellationToken cancellationToken = default);
}

/// <summary>Where a log follower (such as the relay) got to, kept by the event store itself.</summary>
public interface ICheckpointStore
{
    Task<ulong?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default);

    Task StoreCheckpointAsync(string name, ulong position, CancellationToken cancellationToken = default);
}
