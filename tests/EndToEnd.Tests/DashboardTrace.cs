using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>OTLP span kinds as the dashboard's JSON gives them.</summary>
public enum SpanKind
{
    Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5,
}

/// <summary>A span as read from the dashboard's telemetry API (OTLP JSON).</summary>
public sealed record DashboardSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, SpanKind Kind, JsonElement Attributes)
{
    public string? Attribute(string key) => Attributes.ValueKind != JsonValueKind.Array ? null : Attributes.EnumerateArray()
        .Where(a => a.GetProperty("key").GetString() == key).Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault();
}

/// <summary>One registration's trace as the dashboard holds it; complete once both branches reach their last span.</summary>
public sealed record DashboardTrace(string TraceId, List<DashboardSpan> Spans, DashboardSpan? Request)
{
    public bool IsComplete => Request is { Kind: SpanKind.Server } && Reaches("views write") && Reaches("smtp send");

    public bool Under(DashboardSpan span, DashboardSpan ancestor) =>
        span.ParentSpanId == ancestor.SpanId || (ById(span.ParentSpanId) is { } up && Under(up, ancestor));

    public string Tree() => string.Join('\n', Spans.Select(s => $"{s.SpanId} <- {s.ParentSpanId} {s.Kind} {s.Service}: {s.Name}"));

    private DashboardSpan? ById(string spanId) => Spans.FirstOrDefault(s => s.SpanId == spanId && spanId.Length > 0);

    private bool Reaches(string name) =>
        Spans.FirstOrDefault(s => s.Name == "UserRegistered relay") is { } relay && Spans.Any(s => s.Name == name && Under(s, relay));

    /// <summary>The trace whose event store append wrote the user's stream, with the request span above it, or null.</summary>
    public static DashboardTrace? Find(JsonElement traces, Guid userId)
    {
        var spans = ReadSpans(traces);
        var append = spans.FirstOrDefault(s => s.Name == "eventstore append" && s.Attribute("db.collection.name") == $"user-{userId}");
        if (append is null)
        {
            return null;
        }
        var trace = new DashboardTrace(append.TraceId, spans.Where(s => s.TraceId == append.TraceId).ToList(), null);
        var request = append;
        while (request.Kind != SpanKind.Server && trace.ById(request.ParentSpanId) is { } parent)
        {
            request = parent;
        }
        return trace with { Request = request };
    }

    public static List<DashboardSpan> ReadSpans(JsonElement answer) =>
        [.. from resource in Items(answer.GetProperty("data"), "resourceSpans")
            let service = ServiceName(resource)
            from scope in Items(resource, "scopeSpans")
            from span in Items(scope, "spans")
            select new DashboardSpan(service, Text(span, "traceId"), Text(span, "spanId"), Text(span, "parentSpanId"), Text(span, "name"),
                span.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.Number ? (SpanKind)kind.GetInt32() : SpanKind.Unspecified,
                span.TryGetProperty("attributes", out var attributes) ? attributes : default)];

    /// <summary>The services that wrote a log record with the trace id.</summary>
    public static HashSet<string> LogServices(JsonElement answer, string traceId) =>
        [.. from resource in Items(answer.GetProperty("data"), "resourceLogs")
            from scope in Items(resource, "scopeLogs")
            from record in Items(scope, "logRecords")
            where string.Equals(Text(record, "traceId"), traceId, StringComparison.OrdinalIgnoreCase)
            select ServiceName(resource)];

    private static JsonElement[] Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string ServiceName(JsonElement resource) =>
        resource.TryGetProperty("resource", out var r)
            ? new DashboardSpan("", "", "", "", "", default, r.TryGetProperty("attributes", out var a) ? a : default).Attribute("service.name") ?? ""
            : "";
}
