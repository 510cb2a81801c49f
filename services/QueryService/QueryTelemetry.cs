using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace QueryService;

/// <summary>
/// The query service's own OpenTelemetry source and meter (both <see cref="Name"/>): a span per projection apply with the
/// view write inside it, and the projection lag (now − the message's OccurredAt, when applied).
/// </summary>
public static class QueryTelemetry
{
    public const string Name = "Accounts.QueryService";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> ProjectionLag =
        Meter.CreateHistogram<double>("accounts.projection.lag", "ms", "Time from the change to its projection into the view");
}
