using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Accounts.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using NotificationService.Delivery;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>
/// The notification spans and meters, captured with listeners: a <c>notify</c> span on recording, whose trace context is
/// stored with the notification, and an <c>smtp send</c> span per delivery attempt, later and outside that context, as its
/// child. Only what belongs to this test's own root span (and meter factory) counts, since other tests run alongside. The
/// dispatcher is the harness's, on its fake clock.
/// </summary>
public sealed class DeliveryTelemetryTests : IAsyncLifetime
{
    private static readonly ActivitySource Test = new("NotificationService.Tests");

    private readonly FlakyMailSender _sender = new();
    private readonly DispatcherHarness _harness;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<(string Outcome, long Count)> _deliveries = new();
    private readonly ConcurrentQueue<int> _circuitStates = new();
    private readonly ActivityListener _spans;
    private readonly MeterListener _meters = new();

    public DeliveryTelemetryTests()
    {
        _harness = new DispatcherHarness(
            new NotificationOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(100),
                Delivery = new DeliveryPipelineOptions { RetryAttempts = 2, RetryDelay = TimeSpan.FromMilliseconds(10), MinimumThroughput = 100 },
            },
            new SmtpOptions { Host = "smtp.example.org", Port = 2525, From = "accounts@example.org" },
            _sender);
        var factory = _harness.Services.GetRequiredService<IMeterFactory>();

        _spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name is NotificationTelemetry.Name or "NotificationService.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_spans);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == NotificationTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _deliveries.Enqueue(((string)tags.ToArray().Single(t => t.Key == "outcome").Value!, value)));
        _meters.SetMeasurementEventCallback<int>((_, value, _, _) => _circuitStates.Enqueue(value));
        _meters.Start();
    }

    public Task InitializeAsync() => _harness.StartAsync(); // its loop runs outside any test span

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _spans.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Each_smtp_attempt_is_a_client_span_whose_parent_is_the_context_the_notification_was_recorded_in()
    {
        var ada = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var notifier = new UserNotifier(_harness.Store, _harness.Store, _harness.Signal, new ServiceDefaults.UserChanges(), _harness.Time, NullLogger<UserNotifier>.Instance);
        _sender.FailuresLeft = 1;
        ActivityTraceId trace;
        using (var test = Test.StartActivity("test")!)
        {
            test.TraceStateString = "vendor=value";
            trace = test.TraceId;
            await notifier.HandleAsync(new UserRegistered(ada, 1, DateTimeOffset.UtcNow, "ada@example.com", "Ada"), messageId);
        }
        var notify = Assert.Single(_stopped, a => a.TraceId == trace && a.OperationName == "notify UserRegistered");
        Assert.Equal(ActivityKind.Internal, notify.Kind);
        Assert.Equal(ada.ToString(), notify.GetTagItem("user.id"));
        Assert.Equal(1L, notify.GetTagItem("user.version"));
        Assert.Equal(messageId.ToString(), notify.GetTagItem("messaging.message.id"));
        var welcome = Assert.Single(await _harness.Store.ForUserAsync(ada));
        Assert.Equal((notify.Id, "vendor=value"), (welcome.TraceParent, welcome.TraceState));

        Assert.Equal(NotificationState.Sent, (await WaitUntilDoneAsync(welcome.Id))!.State);
        var sends = _stopped.Where(a => a.OperationName == NotificationTelemetry.SendSpan && a.GetTagItem("notification.id") as string == welcome.Id.ToString())
            .OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, send =>
        {
            Assert.Equal(ActivityKind.Client, send.Kind);
            Assert.Equal(notify.TraceId, send.TraceId);
            Assert.Equal(notify.SpanId, send.ParentSpanId);
            Assert.Equal("vendor=value", send.TraceStateString);
            Assert.Equal("smtp.example.org", send.GetTagItem("server.address"));
            Assert.Equal(2525, send.GetTagItem("server.port"));
            Assert.Equal("welcome", send.GetTagItem("notification.kind"));
            Assert.Equal(ada.ToString(), send.GetTagItem("user.id"));
        });
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Unset], sends.Select(s => s.Status));
        Assert.Equal(nameof(IOException), sends[0].GetTagItem("error.type"));

        Assert.Equal([(DeliveryMetrics.Sent, 1L)], _deliveries);
        _meters.RecordObservableInstruments();
        Assert.Equal([0], _circuitStates);
    }

    [Fact]
    public async Task A_notification_recorded_outside_any_trace_is_sent_in_a_trace_of_its_own()
    {
        var messageId = Guid.NewGuid();
        var at = _harness.Time.GetUtcNow();
        var farewell = new Notification(NotificationId.For(messageId, NotificationKind.Farewell, "bob@example.com"), Guid.NewGuid(), messageId,
            NotificationKind.Farewell, "bob@example.com", "Bye", "Body", NotificationState.Pending, 0, null, at, at, at, null);
        await _harness.Store.AddAsync(farewell);
        _harness.Signal.Wake();
        Assert.Equal(NotificationState.Sent, (await WaitUntilDoneAsync(farewell.Id))!.State);
        var send = Assert.Single(_stopped, a => a.OperationName == NotificationTelemetry.SendSpan && a.GetTagItem("notification.id") as string == farewell.Id.ToString());
        Assert.Null(send.Parent);
        Assert.Equal(default, send.ParentSpanId);
        Assert.Equal("farewell", send.GetTagItem("notification.kind"));
    }

    private Task<Notification?> WaitUntilDoneAsync(Guid id) =>
        _harness.UntilAsync($"notification {id} to be settled", () => _harness.Store.FindAsync(id), n => n!.State != NotificationState.Pending);

    /// <summary>Accepts every message, after failing the first <see cref="FailuresLeft"/> attempts with a transient error.</summary>
    private sealed class FlakyMailSender : IMailSender
    {
        private int _failuresLeft;

        public int FailuresLeft
        {
            get => Volatile.Read(ref _failuresLeft);
            set => Volatile.Write(ref _failuresLeft, value);
        }

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _failuresLeft) >= 0 ? Task.FromException(new IOException("connection reset")) : Task.CompletedTask;
    }
}
