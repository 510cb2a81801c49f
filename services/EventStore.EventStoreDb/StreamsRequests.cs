using System.Text;
using EventStore.EventStoreDb.Protocol;
using Google.Protobuf;
using static EventStore.EventStoreDb.Protocol.ReadReq.Types.Options.Types;

namespace EventStore.EventStoreDb;

/// <summary>Every request message the adapter sends, built in one place so the wire-format tests see exactly what goes out.</summary>
public static class StreamsRequests
{
    public const string ContentTypeJson = "application/json";

    /// <summary>Server-side filter for "not a system event": event types starting with '$' are the server's own.</summary>
    public const string NonSystemEventTypes = @"^[^\$]";

    /// <summary>How many events a filtered subscription scans between checkpoints (multiplied by <see cref="CheckpointEvery"/>).</summary>
    public const uint SearchWindow = 32;

    public const uint CheckpointEvery = 1;

    public static StreamIdentifier Stream(string name) => new() { StreamName = ByteString.CopyFromUtf8(name) };

    public static AppendReq AppendOptions(string stream, ExpectedRevision expected)
    {
        var options = new AppendReq.Types.Options { StreamIdentifier = Stream(stream) };
        if (expected.IsExact)
        {
            options.Revision = (ulong)expected.Value;
        }
        else if (expected == ExpectedRevision.NoStream)
        {
            options.NoStream = new Empty();
        }
        else if (expected == ExpectedRevision.StreamExists)
        {
            options.StreamExists = new Empty();
        }
        else
        {
            options.Any = new Empty();
        }
        return new AppendReq { Options = options };
    }

    public static AppendReq ProposedMessage(EventData e) =>
        ProposedMessage(e.EventId, e.EventType, e.Data, EventMetadataJson.Serialize(e.Metadata));

    public static AppendReq ProposedMessage(Guid id, string type, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> customMetadata) => new()
    {
        ProposedMessage = new AppendReq.Types.ProposedMessage
        {
            Id = EventIds.ToServer(id),
            Metadata = { ["type"] = type, ["content-type"] = ContentTypeJson },
            Data = ByteString.CopyFrom(data.Span),
            CustomMetadata = ByteString.CopyFrom(customMetadata.Span),
        },
    };

    public static AppendReq ProposedMessage(Guid id, string type, string json) =>
        ProposedMessage(id, type, Encoding.UTF8.GetBytes(json), ReadOnlyMemory<byte>.Empty);

    /// <summary>Up to <paramref name="count"/> events of one stream, oldest first, from <paramref name="fromRevision"/>.</summary>
    public static ReadReq ReadStream(string stream, long fromRevision, ulong count) => Read(new ReadReq.Types.Options
    {
        Stream = new StreamOptions { StreamIdentifier = Stream(stream), Revision = (ulong)fromRevision },
        ReadDirection = ReadDirection.Forwards,
        Count = count,
        NoFilter = new Empty(),
    });

    /// <summary>The last event of a stream (read backwards from its end, one event).</summary>
    public static ReadReq ReadLastOfStream(string stream) => Read(new ReadReq.Types.Options
    {
        Stream = new StreamOptions { StreamIdentifier = Stream(stream), End = new Empty() },
        ReadDirection = ReadDirection.Backwards,
        Count = 1,
        NoFilter = new Empty(),
    });

    /// <summary>The last non-system event of $all (read backwards from its end, one event).</summary>
    public static ReadReq ReadLastOfAll() => Read(new ReadReq.Types.Options
    {
        All = new AllOptions { End = new Empty() },
        ReadDirection = ReadDirection.Backwards,
        Count = 1,
        Filter = new FilterOptions
        {
            EventType = new FilterOptions.Types.Expression { Regex = NonSystemEventTypes },
            Count = new Empty(),
        },
    });

    /// <summary>
    /// Up to <paramref name="count"/> non-system events of $all from <paramref name="from"/> (inclusive: the server
    /// returns the event at that position, which the caller drops to read "after" it) or from the start.
    /// </summary>
    public static ReadReq ReadAll(ulong? from, ulong count) => Read(new ReadReq.Types.Options
    {
        All = From(from),
        ReadDirection = ReadDirection.Forwards,
        Count = count,
        Filter = new FilterOptions
        {
            EventType = new FilterOptions.Types.Expression { Regex = NonSystemEventTypes },
            Count = new Empty(),
        },
    });

    /// <summary>
    /// A live subscription to $all after <paramref name="after"/> (the server starts after the event at that position),
    /// filtered server-side by stream-name prefix when one is given, else to non-system events, with checkpoints.
    /// </summary>
    public static ReadReq SubscribeToAll(ulong? after, string? streamPrefix)
    {
        var filter = new FilterOptions { Max = SearchWindow, CheckpointIntervalMultiplier = CheckpointEvery };
        if (string.IsNullOrEmpty(streamPrefix))
        {
            filter.EventType = new FilterOptions.Types.Expression { Regex = NonSystemEventTypes };
        }
        else
        {
            filter.StreamIdentifier = new FilterOptions.Types.Expression { Prefix = { streamPrefix } };
        }
        return Read(new ReadReq.Types.Options
        {
            All = From(after),
            ReadDirection = ReadDirection.Forwards,
            Subscription = new SubscriptionOptions(),
            Filter = filter,
        });
    }

    private static AllOptions From(ulong? position) =>
        position is { } p ? new AllOptions { Position = GlobalPosition.ToServer(p) } : new AllOptions { Start = new Empty() };

    /// <summary>Every read asks for event ids as text and does not resolve links.</summary>
    private static ReadReq Read(ReadReq.Types.Options options)
    {
        options.ResolveLinks = false;
        options.UuidOption = new UUIDOption { String = new Empty() };
        return new ReadReq { Options = options };
    }
}
