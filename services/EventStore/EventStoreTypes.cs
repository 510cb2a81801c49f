namespace EventStore;

/// <summary>The correlation and trace context stored with every event.</summary>
public sealed record EventMetadata(
    Guid? CorrelationId,
    Guid? CausationId,
    string? TraceParent,
    string? TraceState,
    DateTimeOffset Timestamp);

/// <summary>An event to append. Its id makes a retried append idempotent.</summary>
public sealed record EventData(Guid EventId, string EventType, ReadOnlyMemory<byte> Data, EventMetadata Metadata);

/// <summary>An event as stored: its envelope, the JSON data and where it sits in its stream and in the global log.</summary>
public sealed record StoredEvent(
    string Stream,
    long Revision,
    ulong Position,
    Guid EventId,
    string EventType,
    ReadOnlyMemory<byte> Data,
    EventMetadata Metadata);

/// <summary>The revision of the last event appended and its position in the global log.</summary>
public readonly record struct AppendResult(long Revision, ulong Position);

/// <summary>What the writer believes about the stream it appends to.</summary>
public readonly record struct ExpectedRevision
{
    private const long AnyValue = -2, NoStreamValue = -1, StreamExistsValue = -4;

    private ExpectedRevision(long value) => Value = value;

    /// <summary>The exact revision expected, or a negative marker for the special cases.</summary>
    public long Value { get; }

    public static ExpectedRevision Any { get; } = new(AnyValue);

    public static ExpectedRevision NoStream { get; } = new(NoStreamValue);

    public static ExpectedRevision StreamExists { get; } = new(StreamExistsValue);

    public static ExpectedRevision Exact(long revision) =>
        revision >= 0 ? new(revision) : throw new ArgumentOutOfRangeException(nameof(revision));

    /// <summary>Exact(revision) for a stream read up to <paramref name="revision"/>, or NoStream when there was none.</summary>
    public static ExpectedRevision After(long? revision) => revision is { } r ? Exact(r) : NoStream;

    public bool IsExact => Value >= 0;

    /// <summary>Does a stream whose last revision is <paramref name="current"/> (null: no stream) satisfy this?</summary>
    public bool IsSatisfiedBy(long? current) => Value switch
    {
        AnyValue => true,
        NoStreamValue => current is null,
        StreamExistsValue => current is not null,
        _ => current == Value,
    };

    public override string ToString() => Value switch
    {
        AnyValue => "any",
        NoStreamValue => "no stream",
        StreamExistsValue => "stream exists",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Optimistic concurrency failed: the stream is not at the revision the writer expected.</summary>
public sealed class WrongExpectedRevisionException(string stream, ExpectedRevision expected, long? actual)
    : Exception($"Stream '{stream}' expected at {expected} but is at {(actual is { } a ? a.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no stream")}.")
{
    public string Stream { get; } = stream;

    public ExpectedRevision Expected { get; } = expected;

    /// <summary>The stream's actual last revision, or null when it does not exist (or the server did not say).</summary>
    public long? Actual { get; } = actual;
}
