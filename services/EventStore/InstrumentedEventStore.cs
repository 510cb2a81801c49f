using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace EventStore;

/// <summary>
/// Wraps any adapter of the port with OpenTelemetry: a client span per append and read (db.* attributes, the stream
/// and its revision) and a counter of appended events. Following the log gets no span: it lives as long as the process.
/// </summary>
public sealed class InstrumentedEventStore(IEventStore inner, string system) : IEventStore
{
    public static readonly ActivitySource Source = new("Accounts.EventStore");
    private static readonly Meter Meter = new("Accounts.EventStore");
    private static readonly Counter<long> Appended = Meter.CreateCounter<long>("eventstore.events.appended", "{event}", "Events appended to the event store");

    public async Task<AppendResult> AppendAsync(string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        using var activity = Start("append", stream);
        activity?.SetTag("eventstore.expected_revision", expected.ToString());
        activity?.SetTag("db.operation.batch.size", events.Count);
        try
        {
            var result = await inner.AppendAsync(stream, expected, events, cancellationToken);
            activity?.SetTag("eventstore.revision", result.Revision);
            activity?.SetTag("eventstore.position", (long)result.Position);
            Appended.Add(events.Count, new KeyValuePair<string, object?>("db.system.name", system));
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.SetTag("error.type", e.GetType().Name);
            throw;
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        using var activity = Start("read", stream);
        var events = await inner.ReadStreamAsync(stream, fromRevision, maxCount, cancellationToken);
        activity?.SetTag("db.response.returned_rows", events.Count);
        return events;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(after, maxCount, cancellationToken);

    public Task<ulong?> ReadHeadAsync(CancellationToken cancellationToken = default) => inner.ReadHeadAsync(cancellationToken);

    public IAsyncEnumerable<StoredEvent> FollowAllAsync(ulong? after, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        inner.FollowAllAsync(after, streamPrefix, cancellationToken);

    private Activity? Start(string operation, string stream)
    {
        var activity = Source.StartActivity($"eventstore {operation}", ActivityKind.Client);
        activity?.SetTag("db.system.name", system);
        activity?.SetTag("db.operation.name", operation);
        activity?.SetTag("db.collection.name", stream);
        return activity;
    }
}
