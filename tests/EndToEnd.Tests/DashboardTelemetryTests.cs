using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The three services, each its own process, export by OTLP to the Aspire dashboard: one registration is one trace there
/// holding the spans of all three, in the shape <see cref="TraceTests"/> asserts in process, and the services' structured
/// logs carry its trace id. Read only through the dashboard's telemetry API.
/// </summary>
[RequiresDashboard]
[Collection(SharesObservedSystem.Name)]
public sealed class DashboardTelemetryTests(ObservedSystem stack)
{
    [Fact]
    public async Task A_registration_is_one_trace_across_the_three_services_in_the_dashboard_with_their_logs()
    {
        await stack.StartAsync();
        using var client = new HttpClient();
        var id = Guid.CreateVersion7();
        await new HttpClient { BaseAddress = stack.Command, DefaultRequestHeaders = { Authorization = new("Bearer", TestTokens.AllScopes) } }.RegisterAsync(id, $"{id:N}@example.org", "Dashboard");

        var trace = await Eventually.UntilAsync("the dashboard to hold the registration's trace down to the view write and the SMTP send",
            async () => DashboardTrace.Find(await client.GetFromJsonAsync<JsonElement>(new Uri(stack.Dashboard, "/api/telemetry/traces")), id),
            found => found is { IsComplete: true }, TimeSpan.FromSeconds(60));

        var request = trace!.Request!;
        Assert.Equal("command-service", request.Service);
        Assert.StartsWith("POST /users", request.Name, StringComparison.Ordinal);
        var relay = Assert.Single(trace.Spans, s => s.Name == "UserRegistered relay");
        Assert.Equal(request.SpanId, relay.ParentSpanId);
        var queryReceive = trace.Spans.Where(s => s.Name.Contains("query-users", StringComparison.Ordinal) && s.Kind == SpanKind.Consumer).ToList();
        var notificationReceive = trace.Spans.Where(s => s.Name.Contains("notification-users", StringComparison.Ordinal) && s.Kind == SpanKind.Consumer).ToList();
        Assert.True(queryReceive.Count > 0 && queryReceive.All(s => s.Service == "query-service" && trace.Under(s, relay)), trace.Tree());
        Assert.True(notificationReceive.Count > 0 && notificationReceive.All(s => s.Service == "notification-service" && trace.Under(s, relay)), trace.Tree());
        var viewWrite = Assert.Single(trace.Spans, s => s.Name == "views write");
        Assert.Contains(queryReceive, receive => trace.Under(viewWrite, receive));
        var smtp = Assert.Single(trace.Spans, s => s.Name == "smtp send");
        Assert.Equal(SpanKind.Client, smtp.Kind);
        Assert.Contains(notificationReceive, receive => trace.Under(smtp, receive));

        // The spans endpoint gives the same spans; the logs endpoint the services' logs written inside the trace.
        var spans = DashboardTrace.ReadSpans(await client.GetFromJsonAsync<JsonElement>(new Uri(stack.Dashboard, $"/api/telemetry/spans?traceId={trace.TraceId}")))
            .Where(s => s.TraceId == trace.TraceId).ToList();
        Assert.Subset(spans.Select(s => s.SpanId).ToHashSet(), trace.Spans.Select(s => s.SpanId).ToHashSet());
        var services = await Eventually.UntilAsync($"structured logs of all three services with trace id {trace.TraceId}",
            async () => DashboardTrace.LogServices(await client.GetFromJsonAsync<JsonElement>(new Uri(stack.Dashboard, $"/api/telemetry/logs?traceId={trace.TraceId}")), trace.TraceId),
            found => found.Count == 3);
        Assert.Equal(["command-service", "notification-service", "query-service"], services.Order());
    }
}
