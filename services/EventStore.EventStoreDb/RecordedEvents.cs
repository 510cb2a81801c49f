using EventStore.EventStoreDb.Protocol;

namespace EventStore.EventStoreDb;

/// <summary>Turns the server's recorded events into the port's <see cref="StoredEvent"/>.</summary>
public static class RecordedEvents
{
    /// <summary>System events ($metadata, $>, $statsCollected, ...) are the server's own and never part of the port's log.</summary>
    public static bool IsSystem(ReadResp.Types.ReadEvent read) => TypeOf(read.Event).StartsWith('$');

    public static StoredEvent ToStored(ReadResp.Types.ReadEvent read)
    {
        var recorded = read.Event ?? throw new InvalidOperationException("The server sent a read event without its event.");
        return new StoredEvent(
            recorded.StreamIdentifier.StreamName.ToStringUtf8(),
            checked((long)recorded.StreamRevision),
            GlobalPosition.Of(read),
            EventIds.FromServer(recorded.Id),
            TypeOf(recorded),
            recorded.Data.Memory,
            recorded.CustomMetadata.IsEmpty
                ? new EventMetadata(null, null, null, null, default)
                : EventMetadataJson.Deserialize(recorded.CustomMetadata.Span));
    }

    private static string TypeOf(ReadResp.Types.ReadEvent.Types.RecordedEvent recorded) =>
        recorded.Metadata.TryGetValue("type", out var type) ? type : string.Empty;
}
