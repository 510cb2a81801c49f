using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace QueryService.Tests;

/// <summary>Every <c>project &lt;Message&gt;</c> span the query service ends in this process, from any instance, while it lives.</summary>
internal sealed class ProjectionSpans : IEnumerable<Activity>, IDisposable
{
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;

    public ProjectionSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == QueryTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IEnumerator<Activity> GetEnumerator() => _ended.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _listener.Dispose();
}
