using System.Collections.Concurrent;
using MimeKit;
using NotificationService.Delivery;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>
/// Batch delivery on the harness's fake clock: a backlog is claimed, delivered over one mail session and recorded in batches
/// of <see cref="NotificationOptions.BatchSize"/>; a batch hands back what it did not try once half the claim's lease is
/// spent, and on shutdown. What the dispatcher claims and records is watched through a wrapper of the store.
/// </summary>
public sealed class BatchDeliveryTests
{
    private static readonly SmtpOptions Smtp = new() { Host = "smtp.example.org", From = "accounts@example.org" };

    [Fact]
    public async Task A_backlog_is_claimed_delivered_over_one_session_and_recorded_in_batches_of_the_configured_size()
    {
        var sender = new RecordingSender();
        RecordingStore recorder = null!;
        await using var harness = new DispatcherHarness(new NotificationOptions { BatchSize = 4 }, Smtp, sender, store => recorder = new RecordingStore(store));
        var welcomes = await harness.AddWelcomesAsync(10);

        await harness.StartAsync();
        var sent = await harness.UntilAllSentAsync(welcomes);

        Assert.All(sent, n => Assert.Equal(1, n.Attempts));
        Assert.Equal([4, 4, 2], recorder.Claims.Where(size => size > 0));
        Assert.Equal([4, 4, 2], recorder.Recorded.Select(batch => batch.Count));
        Assert.All(recorder.Recorded.SelectMany(batch => batch), o => Assert.Equal(NotificationState.Sent, o.State));
        Assert.Equal([4, 4, 2], sender.Sessions.Select(session => session.Count).Where(count => count > 0));
        Assert.Equal(welcomes.Select(n => n.Id).Order(), sender.Sessions.SelectMany(s => s).Order());
    }

    [Fact]
    public async Task A_batch_hands_back_what_it_did_not_try_once_half_the_claim_lease_is_spent()
    {
        DispatcherHarness harness = null!;
        var sender = new RecordingSender(onSend: _ =>
        {
            harness.Time.Advance(TimeSpan.FromSeconds(40)); // a slow server: the third send would start past half the lease
            return Task.CompletedTask;
        });
        RecordingStore recorder = null!;
        harness = new DispatcherHarness(new NotificationOptions { BatchSize = 5, ClaimLease = TimeSpan.FromMinutes(2) }, Smtp, sender,
            store => recorder = new RecordingStore(store));
        await using (harness)
        {
            var welcomes = await harness.AddWelcomesAsync(5);
            await harness.StartAsync();
            var sent = await harness.UntilAllSentAsync(welcomes);

            Assert.All(sent, n => Assert.Equal(1, n.Attempts));
            var first = recorder.Recorded[0];
            Assert.Equal([NotificationState.Sent, NotificationState.Sent, NotificationState.Pending, NotificationState.Pending, NotificationState.Pending],
                first.Select(o => o.State));
            Assert.All(first.Skip(2), handedBack => Assert.Equal((0, null), (handedBack.Attempts, handedBack.LastError)));
            Assert.Equal(5, sender.Sessions.Sum(s => s.Count));
        }
    }

    [Fact]
    public async Task Stopping_mid_batch_records_what_was_sent_the_interrupted_try_and_hands_back_the_rest_due_at_once()
    {
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new RecordingSender(onSend: async (number, cancellationToken) =>
        {
            if (number == 2)
            {
                secondStarted.TrySetResult();
                await new TaskCompletionSource().Task.WaitAsync(cancellationToken); // a server that hangs until the dispatcher stops
            }
        });
        await using var harness = new DispatcherHarness(new NotificationOptions { BatchSize = 5 }, Smtp, sender);
        var welcomes = await harness.AddWelcomesAsync(5);
        await harness.StartAsync();
        await secondStarted.Task;

        await harness.StopAsync();

        var now = harness.Time.GetUtcNow();
        var after = await harness.FindAllAsync(welcomes);
        var delivered = Assert.Single(sender.Sessions.SelectMany(s => s));
        Assert.Equal(NotificationState.Sent, after.Single(n => n.Id == delivered).State);
        var interrupted = Assert.Single(after, n => n.Attempts == 1 && n.State == NotificationState.Pending);
        Assert.Equal("Interrupted by shutdown.", interrupted.LastError);
        var handedBack = after.Where(n => n.Attempts == 0).ToList();
        Assert.Equal(3, handedBack.Count);
        Assert.All(handedBack, n => Assert.Equal((NotificationState.Pending, null, now), (n.State, n.LastError, n.DueAt)));
    }

    /// <summary>Accepts every message; each session records the notification ids it delivered, in order.</summary>
    private sealed class RecordingSender(Func<int, CancellationToken, Task>? onSend = null) : IMailSender
    {
        private readonly Func<int, CancellationToken, Task>? _onSend = onSend;
        private int _sends;

        public RecordingSender(Func<int, Task> onSend)
            : this((number, _) => onSend(number))
        {
        }

        public ConcurrentQueue<List<Guid>> Sessions { get; } = new();

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The dispatcher sends through sessions.");

        public IMailSession OpenSession()
        {
            var session = new Session(this);
            Sessions.Enqueue(session.Delivered);
            return session;
        }

        private sealed class Session(RecordingSender sender) : IMailSession
        {
            public List<Guid> Delivered { get; } = [];

            public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
            {
                if (sender._onSend is { } hook)
                {
                    await hook(Interlocked.Increment(ref sender._sends), cancellationToken);
                }
                lock (Delivered)
                {
                    Delivered.Add(Guid.Parse(message.Headers[MailMessages.NotificationIdHeader]!));
                }
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>The store the dispatcher sees, noting the size of each claim and each batch of outcomes it records.</summary>
    private sealed class RecordingStore(INotificationStore store) : INotificationStore
    {
        private readonly ConcurrentQueue<int> _claims = new();
        private readonly ConcurrentQueue<IReadOnlyList<DeliveryOutcome>> _recorded = new();

        public IReadOnlyList<int> Claims => [.. _claims];

        public IReadOnlyList<IReadOnlyList<DeliveryOutcome>> Recorded => [.. _recorded];

        public async Task<IReadOnlyList<Notification>> ClaimDueAsync(
            DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
        {
            var claimed = await store.ClaimDueAsync(now, leaseUntil, limit, cancellationToken);
            _claims.Enqueue(claimed.Count);
            return claimed;
        }

        public async Task<int> RecordOutcomesAsync(IReadOnlyCollection<DeliveryOutcome> outcomes, CancellationToken cancellationToken = default)
        {
            var recorded = await store.RecordOutcomesAsync(outcomes, cancellationToken);
            _recorded.Enqueue([.. outcomes]);
            return recorded;
        }

        public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default) => store.AddAsync(notification, cancellationToken);

        public Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default) => store.FindAsync(id, cancellationToken);

        public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) => store.NextDueAsync(cancellationToken);

        public Task EraseUserAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            store.EraseUserAsync(userId, at, cancellationToken);

        public Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
            store.ForUserAsync(userId, cancellationToken);
    }
}
