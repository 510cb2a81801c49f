using Grpc.Core;

namespace EventStore.EventStoreDb;

/// <summary>
/// The key store port on EventStoreDB: one key stream per subject (<c>datakey-{subject}</c>) holding one event with the
/// key. Destroying it tombstones (hard-deletes) the stream: it can never be written again, so no new key is ever made for
/// the subject, and the next scavenge removes the key's bytes from the database files (until then they remain on disk,
/// unreadable through the API). Keep this database's backups as short-lived as the erasure promise requires.
/// </summary>
public sealed class EventStoreDbKeyStore(EventStoreDbEventStore store) : IKeyStore
{
    public const string StreamPrefix = "datakey-";
    public const string EventType = "DataKeyCreated";

    public static string StreamFor(string subject) => StreamPrefix + subject;

    public async Task<DataKey> GetOrCreateAsync(string subject, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(subject, cancellationToken);
        if (found.Status != DataKeyStatus.Missing)
        {
            return found;
        }
        var candidate = DataKey.NewRandom();
        var created = new EventData(Guid.NewGuid(), EventType, candidate.Bytes!,
            new EventMetadata(null, null, null, null, DateTimeOffset.UtcNow));
        try
        {
            await store.AppendAsync(StreamFor(subject), ExpectedRevision.NoStream, [created], cancellationToken);
            return candidate;
        }
        catch (Exception e) when (e is WrongExpectedRevisionException || (e is RpcException rpc && EventStoreDbErrors.IsStreamDeleted(rpc)))
        {
            return await FindAsync(subject, cancellationToken); // another writer made it first: theirs counts
        }
    }

    public async Task<DataKey> FindAsync(string subject, CancellationToken cancellationToken = default)
    {
        try
        {
            var events = await store.ReadStreamAsync(StreamFor(subject), 0, 1, cancellationToken);
            return events.Count == 0 ? DataKey.Missing : DataKey.Live(events[0].Data.ToArray());
        }
        catch (RpcException e) when (EventStoreDbErrors.IsStreamDeleted(e))
        {
            return DataKey.Destroyed;
        }
    }

    public Task DestroyAsync(string subject, CancellationToken cancellationToken = default) =>
        store.TombstoneAsync(StreamFor(subject), cancellationToken);
}
