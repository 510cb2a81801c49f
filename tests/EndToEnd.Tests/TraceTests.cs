using System.Collections.Concurrent;
using System.Diagnostics;
using Accounts.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace EndToEnd.Tests;

/// <summary>
/// One POST /users yields one trace across the three services: the HTTP server span, the event store append, the relay's
/// publish (continued from the context stored with the event), both consumers, the view write and the SMTP send.
/// All hosts run in this process, so one listener sees every span; the links between them crossed a real broker.
/// </summary>
[Collection(SharesRunningSystem.Name)]
public sealed class TraceTests(RunningSystem system)
{
    [Fact]
    public async Task One_registration_is_one_trace_across_all_three_services()
    {
        var ended = new EndedSpans();
        var id = Guid.CreateVersion7();
        using (Sdk.CreateTracerProviderBuilder()
            .AddAspNetCoreInstrumentation()
            .AddSource("MassTransit", "Accounts.*")
            .AddProcessor(ended)
            .Build())
        {
            await system.Command.RegisterAsync(id, $"{id:N}@example.org", "Traced");
            // The last spans end just after the state they report is visible: wait until each branch's spans have ended,
            // from the view write and the SMTP send up to the relay's publish.
            await Eventually.UntilAsync("the registration's trace from the relay's publish down to the view write and the SMTP send",
                () => Task.FromResult(RegistrationTrace.Of(ended.Snapshot(), id)), trace => trace is { IsComplete: true });
        }

        // Other tests run meanwhile (the listener is process-wide): find this registration's request from its own append.
        var spans = ended.Snapshot();
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

    /// <summary>Collects every span as it ends; safe to read while the hosts' threads add to it.</summary>
    private sealed class EndedSpans : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _spans = new();

        public override void OnEnd(Activity data) => _spans.Enqueue(data);

        public List<Activity> Snapshot() => [.. _spans];
    }

    /// <summary>
    /// The spans of one registration's trace seen so far. Complete once the request's server span, the view write and the
    /// SMTP send are there, and every span between the append and the request and between each of the others and the
    /// relay's publish too (an ended span is there; its ancestors between it and the relay may end later).
    /// </summary>
    private sealed record RegistrationTrace(int Spans, bool IsComplete)
    {
        public static RegistrationTrace? Of(List<Activity> spans, Guid userId)
        {
            var append = spans.FirstOrDefault(s => s.DisplayName == "eventstore append" && s.GetTagItem("db.collection.name") as string == $"user-{userId}");
            if (append is null)
            {
                return null;
            }
            var trace = spans.Where(s => s.TraceId == append.TraceId).ToDictionary(s => s.SpanId);
            var relay = trace.Values.FirstOrDefault(s => s.DisplayName == "UserRegistered relay");
            bool Reaches(string name) => relay is not null && trace.Values.Any(s => s.DisplayName == name && ChainUpTo(s, relay.SpanId));
            bool ChainUpTo(Activity span, ActivitySpanId ancestor) =>
                span.ParentSpanId == ancestor || (trace.TryGetValue(span.ParentSpanId, out var up) && ChainUpTo(up, ancestor));
            var request = append;
            while (request.Kind != ActivityKind.Server && trace.TryGetValue(request.ParentSpanId, out var parent))
            {
                request = parent;
            }
            return new RegistrationTrace(trace.Count, request.Kind == ActivityKind.Server && Reaches("views write") && Reaches("smtp send"));
        }
    }
}
