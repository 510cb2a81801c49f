using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace EndToEnd.Tests;

/// <summary>
/// One POST /users yields one trace across the three services: the HTTP server span, the event store append, the relay's
/// publish (continued from the context stored with the event), both consumers, the view write and the SMTP send.
/// All hosts run in this process, so one in-memory exporter sees every span; the links between them crossed a real broker.
/// </summary>
[Collection(SharesRunningSystem.Name)]
public sealed class TraceTests(RunningSystem system)
{
    [Fact]
    public async Task One_registration_is_one_trace_across_all_three_services()
    {
        var spans = new List<Activity>();
        var id = Guid.CreateVersion7();
        using (Sdk.CreateTracerProviderBuilder()
            .AddAspNetCoreInstrumentation()
            .AddSource("MassTransit", "Accounts.*")
            .AddInMemoryExporter(spans)
            .Build())
        {
            await system.Command.RegisterAsync(id, $"{id:N}@example.org", "Traced");
            await system.Query.ViewAtAsync(id, 1);
            await system.Notification.EventuallyAsync($"/users/{id}/notifications",
                list => list.GetArrayLength() == 1 && list[0].GetProperty("state").GetString() == "sent");
            await Task.Delay(200); // the last spans end just after the state they report is visible
        }

        // Other tests run meanwhile (the listener is process-wide): find this registration's request from its own append.
        var all = spans.ToDictionary(s => (s.TraceId, s.SpanId));
        var append = Assert.Single(spans, s => s.DisplayName == "eventstore append" && s.GetTagItem("db.collection.name") as string == $"user-{id}");
        var request = append;
        while (request.Kind != ActivityKind.Server && all.TryGetValue((request.TraceId, request.ParentSpanId), out var parent))
        {
            request = parent;
        }
        Assert.StartsWith("POST /users", request.DisplayName, StringComparison.Ordinal);
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        bool Under(Activity span, Activity ancestor) =>
            span.ParentSpanId == ancestor.SpanId || (byId.TryGetValue(span.ParentSpanId, out var up) && Under(up, ancestor));
        string Tree() => string.Join('\n', trace.Select(s => $"{s.SpanId} <- {s.ParentSpanId} {s.Kind} {s.Source.Name}: {s.DisplayName}"));

        var relay = Assert.Single(trace, s => s.DisplayName == "UserRegistered relay");
        Assert.Equal(request.SpanId, relay.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, relay.Kind);

        var queryReceive = trace.Where(s => s.Kind == ActivityKind.Consumer && s.DisplayName.Contains("query-users", StringComparison.Ordinal)).ToList();
        var notificationReceive = trace.Where(s => s.Kind == ActivityKind.Consumer && s.DisplayName.Contains("notification-users", StringComparison.Ordinal)).ToList();
        Assert.True(queryReceive.Count > 0 && queryReceive.All(s => Under(s, relay)), Tree());
        Assert.True(notificationReceive.Count > 0 && notificationReceive.All(s => Under(s, relay)), Tree());

        var viewWrite = Assert.Single(trace, s => s.DisplayName == "views write");
        Assert.Contains(queryReceive, receive => Under(viewWrite, receive));
        var smtp = Assert.Single(trace, s => s.DisplayName == "smtp send");
        Assert.Equal(ActivityKind.Client, smtp.Kind);
        Assert.Contains(notificationReceive, receive => Under(smtp, receive));
    }
}
