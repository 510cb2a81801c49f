using System.Globalization;
using MimeKit;
using NotificationService.Delivery;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>
/// The dispatcher's supervisor (ServiceDefaults' Supervisor, a Polly retry): a fault of its loop is logged with the
/// dispatcher's logger and the loop starts again after pauses doubling from one second up to a minute, on the fake clock.
/// </summary>
public sealed class DispatcherSupervisionTests : IAsyncLifetime
{
    private const int Faults = 8;

    private readonly DispatcherHarness _harness = new(
        new NotificationOptions(),
        new SmtpOptions { Host = "smtp.example.org", From = "accounts@example.org" },
        new AcceptingSender(),
        store => new FaultingClaims(store, Faults));

    public Task InitializeAsync() => _harness.StartAsync();

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task A_faulting_loop_restarts_after_pauses_doubling_from_one_second_up_to_a_minute_and_then_delivers()
    {
        var welcome = Assert.Single(await _harness.AddWelcomesAsync(1));
        var sent = await _harness.UntilAsync("the welcome to be sent once the store answers again",
            () => _harness.Store.FindAsync(welcome.Id), n => n!.State == NotificationState.Sent, step: NotificationDispatcher.MaxRestartPause);
        Assert.Equal(1, sent!.Attempts);

        var restarts = _harness.Log.GetSnapshot().Where(r => r.Message.Contains("failed; restarting", StringComparison.Ordinal)).ToList();
        Assert.All(restarts, r => Assert.Equal(typeof(NotificationDispatcher).FullName, r.Category));
        Assert.All(restarts, r => Assert.IsType<TimeoutException>(r.Exception));
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60],
            restarts.Select(r => TimeSpan.Parse(r.GetStructuredStateValue("Pause")!, CultureInfo.InvariantCulture).TotalSeconds));
    }

    private sealed class AcceptingSender : IMailSender
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A store whose first <paramref name="faults"/> claims fail.</summary>
    private sealed class FaultingClaims(INotificationStore store, int faults) : INotificationStore
    {
        private int _faultsLeft = faults;

        public Task<IReadOnlyList<Notification>> ClaimDueAsync(
            DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _faultsLeft) >= 0
                ? Task.FromException<IReadOnlyList<Notification>>(new TimeoutException("The store did not answer."))
                : store.ClaimDueAsync(now, leaseUntil, limit, cancellationToken);

        public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default) =>
            store.AddAsync(notification, cancellationToken);

        public Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default) => store.FindAsync(id, cancellationToken);

        public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) => store.NextDueAsync(cancellationToken);

        public Task<int> RecordOutcomesAsync(IReadOnlyCollection<DeliveryOutcome> outcomes, CancellationToken cancellationToken = default) =>
            store.RecordOutcomesAsync(outcomes, cancellationToken);

        public Task EraseUserAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            store.EraseUserAsync(userId, at, cancellationToken);

        public Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
            store.ForUserAsync(userId, cancellationToken);
    }
}
