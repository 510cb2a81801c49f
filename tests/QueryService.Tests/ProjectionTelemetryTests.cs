using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Accounts.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using QueryService.Infrastructure;
using QueryService.Infrastructure.Sqlite;
using QueryService.Projection;
using QueryService.Rebuild;
using ServiceDefaults;

namespace QueryService.Tests;

/// <summary>
/// The projection's spans and lag, captured with an <see cref="ActivityListener"/> and a <see cref="MeterListener"/>: only
/// what belongs to this test's own root span counts, since other tests project at the same time.
/// </summary>
public sealed class ProjectionTelemetryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    private static readonly ActivitySource Test = new("QueryService.Tests");

    private readonly string _folder = Directory.CreateTempSubdirectory("query-telemetry-").FullName;
    private readonly SqliteUserViewStore _store;
    private readonly UserProfileProjector _projector;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<double> _lags = new();
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();

    public ProjectionTelemetryTests()
    {
        _store = new SqliteUserViewStore(Path.Combine(_folder, "views.db"));
        var views = new InstrumentedUserViewStore(_store, "sqlite", SqliteUserViewStore.TableName);
        _projector = new UserProfileProjector(views, new UserChanges(), new LiveWritesGate(), new ProjectionProgress(TimeProvider.System), new FakeTimeProvider(At.AddMilliseconds(1500)),
            NullLogger<UserProfileProjector>.Instance);
        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name is QueryTelemetry.Name or "QueryService.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == QueryTelemetry.Name && instrument.Name == "accounts.projection.lag")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((_, value, _, _) => _lags.Enqueue(value));
        _meters.Start();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _spans.Dispose();
        _meters.Dispose();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task An_applied_message_is_a_project_span_around_a_views_write_span()
    {
        var ada = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        ActivityTraceId trace;
        using (var test = Test.StartActivity("test")!)
        {
            trace = test.TraceId;
            await _projector.ApplyAsync(new UserRegistered(ada, 1, At, "ada@example.com", "Ada"), messageId);
            await _projector.ApplyAsync(new UserRenamed(ada, 2, At, "Countess Ada"), Guid.NewGuid());
        }
        var spans = _stopped.Where(a => a.TraceId == trace).ToList();
        var root = Assert.Single(spans, a => a.OperationName == "test");

        var project = Assert.Single(spans, a => a.OperationName == "project UserRegistered");
        Assert.Equal(ActivityKind.Internal, project.Kind);
        Assert.Equal(root.SpanId, project.ParentSpanId);
        Assert.Equal(ada.ToString(), project.GetTagItem("user.id"));
        Assert.Equal(1L, project.GetTagItem("user.version"));
        Assert.Equal(messageId.ToString(), project.GetTagItem("messaging.message.id"));
        Assert.Equal(true, project.GetTagItem("projection.applied"));

        var writes = spans.Where(a => a.OperationName == InstrumentedUserViewStore.WriteSpan).ToList();
        Assert.Equal(2, writes.Count);
        var insert = Assert.Single(writes, w => w.ParentSpanId == project.SpanId);
        Assert.Equal(ActivityKind.Client, insert.Kind);
        Assert.Equal("sqlite", insert.GetTagItem("db.system.name"));
        Assert.Equal("insert", insert.GetTagItem("db.operation.name"));
        Assert.Equal("user_profiles", insert.GetTagItem("db.collection.name"));
        var renamed = Assert.Single(spans, a => a.OperationName == "project UserRenamed");
        Assert.Equal("update", Assert.Single(writes, w => w.ParentSpanId == renamed.SpanId).GetTagItem("db.operation.name"));

        Assert.Contains(1500d, _lags);
    }

    [Fact]
    public async Task A_duplicate_is_a_project_span_marked_not_applied_without_a_write()
    {
        var ada = Guid.NewGuid();
        var registered = new UserRegistered(ada, 1, At, "ada@example.com", "Ada");
        await _projector.ApplyAsync(registered);
        ActivityTraceId trace;
        using (var root = Test.StartActivity("test")!)
        {
            trace = root.TraceId;
            Assert.Equal(VersionGateOutcome.Duplicate, await _projector.ApplyAsync(registered));
        }
        var spans = _stopped.Where(a => a.TraceId == trace).ToList();
        var project = Assert.Single(spans, a => a.OperationName == "project UserRegistered");
        Assert.Equal(false, project.GetTagItem("projection.applied"));
        Assert.DoesNotContain(spans, a => a.OperationName == InstrumentedUserViewStore.WriteSpan);
    }

    [Fact]
    public async Task A_gap_is_a_project_span_with_error_status()
    {
        ActivityTraceId trace;
        using (var root = Test.StartActivity("test")!)
        {
            trace = root.TraceId;
            await Assert.ThrowsAsync<MessageOutOfOrderException>(() => _projector.ApplyAsync(new UserRenamed(Guid.NewGuid(), 2, At, "Early")));
        }
        var project = Assert.Single(_stopped, a => a.TraceId == trace && a.OperationName == "project UserRenamed");
        Assert.Equal(ActivityStatusCode.Error, project.Status);
        Assert.Equal(nameof(MessageOutOfOrderException), project.GetTagItem("error.type"));
    }
}
