namespace QueryService.Projection;

/// <summary>When the projection last applied a change in this process, and how old that change was then (the projection lag).</summary>
public sealed record ProjectionProgressResponse(DateTimeOffset? LastAppliedAt, DateTimeOffset? LastOccurredAt, double? LagMilliseconds);

/// <summary>Kept by the projector for <c>GET /admin/progress</c> (and <c>make status</c>): the latest applied change.</summary>
public sealed class ProjectionProgress(TimeProvider time)
{
    private ProjectionProgressResponse _last = new(null, null, null);

    public ProjectionProgressResponse Last => _last;

    public void Applied(DateTimeOffset occurredAt)
    {
        var now = time.GetUtcNow();
        _last = new ProjectionProgressResponse(now, occurredAt, (now - occurredAt).TotalMilliseconds);
    }
}
