using Accounts.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NotificationService.Infrastructure.Sqlite;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>Recording notifications from messages over a real (SQLite) store: once each, in order, gaps retried.</summary>
public sealed class UserNotifierTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    private readonly FakeTimeProvider _clock = new(At.AddMinutes(1));

    private readonly string _folder = Directory.CreateTempSubdirectory("notifier-").FullName;
    private readonly SqliteNotificationStore _store;
    private readonly UserNotifier _notifier;
    private readonly Guid _ada = Guid.NewGuid();

    public UserNotifierTests()
    {
        _store = new SqliteNotificationStore(Path.Combine(_folder, "notifications.db"));
        _notifier = new UserNotifier(_store, _store, new DispatchSignal(), new ServiceDefaults.UserChanges(), _clock, NullLogger<UserNotifier>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private (IUserMessage Message, Guid MessageId)[] History() =>
    [
        (new UserRegistered(_ada, 1, At, "ada@example.com", "Ada"), Guid.NewGuid()),
        (new UserRenamed(_ada, 2, At, "Countess Ada"), Guid.NewGuid()),
        (new UserEmailChanged(_ada, 3, At, "ada@example.com", "ada@lovelace.org"), Guid.NewGuid()),
        (new UserDeactivated(_ada, 4, At, "moved on"), Guid.NewGuid()),
        (new UserReactivated(_ada, 5, At), Guid.NewGuid()),
    ];

    [Fact]
    public async Task A_history_owes_a_welcome_two_address_notices_and_a_farewell_to_the_right_people_by_current_name()
    {
        foreach (var (message, id) in History())
        {
            await _notifier.HandleAsync(message, id);
        }
        var notifications = await _store.ForUserAsync(_ada);
        Assert.Equal(
            [
                (NotificationKind.Welcome, "ada@example.com"),
                (NotificationKind.EmailChangedOldAddress, "ada@example.com"),
                (NotificationKind.EmailChangedNewAddress, "ada@lovelace.org"),
                (NotificationKind.Farewell, "ada@lovelace.org"),
            ],
            notifications.Select(n => (n.Kind, n.Recipient)).OrderBy(k => k.Kind));
        Assert.All(notifications.Where(n => n.Kind != NotificationKind.Welcome), n => Assert.Contains("Hello Countess Ada", n.Body, StringComparison.Ordinal));
        Assert.All(notifications, n => Assert.Equal(NotificationState.Pending, n.State));
        Assert.All(notifications, n => Assert.Equal((At.AddMinutes(1), At.AddMinutes(1)), (n.CreatedAt, n.DueAt))); // recorded now, due at once
        Assert.Equal(new Contact(_ada, "ada@lovelace.org", "Countess Ada", 5), await _store.FindContactAsync(_ada));
    }

    [Fact]
    public async Task Redelivered_and_re_published_messages_record_nothing_new()
    {
        var history = History();
        foreach (var (message, id) in history.Concat(history))
        {
            await _notifier.HandleAsync(message, id);
        }
        await _notifier.HandleAsync(history[2].Message, Guid.NewGuid()); // the same change under another message id
        Assert.Equal(4, (await _store.ForUserAsync(_ada)).Count);
    }

    [Fact]
    public async Task A_gap_is_retryable_and_records_nothing_until_the_missing_message_arrived()
    {
        var history = History();
        await _notifier.HandleAsync(history[0].Message, history[0].MessageId);
        await Assert.ThrowsAsync<MessageOutOfOrderException>(() => _notifier.HandleAsync(history[3].Message, history[3].MessageId));
        await Assert.ThrowsAsync<MessageOutOfOrderException>(() => _notifier.HandleAsync(history[2].Message, history[2].MessageId));
        Assert.Single(await _store.ForUserAsync(_ada));
        foreach (var (message, id) in history[1..4])
        {
            await _notifier.HandleAsync(message, id);
        }
        Assert.Equal(4, (await _store.ForUserAsync(_ada)).Count);
    }

    [Fact]
    public async Task A_crash_after_recording_before_advancing_the_contact_is_repaired_by_the_redelivery()
    {
        var (registered, id) = History()[0];
        var plan = NotificationPlan.For(null, registered, id, At);
        await _store.AddAsync(plan.Notifications[0]); // recorded, then "crashed" before the contact was written
        await _notifier.HandleAsync(registered, id);
        Assert.Single(await _store.ForUserAsync(_ada));
        Assert.Equal(1, (await _store.FindContactAsync(_ada))!.Version);
    }
}
