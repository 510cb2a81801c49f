using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>What every adapter of the notification and contact store ports must do; each test gets a fresh, empty store.</summary>
public abstract class NotificationStoreConformance : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);

    /// <summary>The W3C trace context a notification was recorded in; stored and read back as given.</summary>
    protected const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    protected INotificationStore Notifications { get; private set; } = null!;

    protected IContactStore Contacts { get; private set; } = null!;

    protected abstract Task<(INotificationStore, IContactStore)> CreateStoreAsync();

    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (Notifications, Contacts) = await CreateStoreAsync();

    public Task DisposeAsync() => DeleteStoreAsync();

    protected static Notification NewNotification(Guid? userId = null, DateTimeOffset? dueAt = null, string recipient = "ada@example.com")
    {
        var messageId = Guid.NewGuid();
        return new Notification(NotificationId.For(messageId, NotificationKind.Welcome, recipient), userId ?? Guid.NewGuid(), messageId,
            NotificationKind.Welcome, recipient, "Welcome, Ada", "Hello Ada,\n", NotificationState.Pending, 0, null, Now, Now, dueAt ?? Now, null,
            TraceParent, "vendor=value");
    }

    [Fact]
    public async Task Erasing_a_user_blanks_the_recipients_and_texts_and_cancels_what_is_pending()
    {
        var user = Guid.NewGuid();
        var (sent, pending, other) = (NewNotification(user), NewNotification(user, recipient: "ada@lovelace.org"), NewNotification());
        foreach (var n in new[] { sent, pending, other })
        {
            await Notifications.AddAsync(n);
        }
        await Notifications.MarkSentAsync(sent.Id, 1, Now);

        await Notifications.EraseUserAsync(user, Now.AddMinutes(1));
        await Notifications.EraseUserAsync(user, Now.AddMinutes(2));

        var erased = await Notifications.ForUserAsync(user);
        Assert.All(erased, n => Assert.Equal(("", "", ""), (n.Recipient, n.Subject, n.Body)));
        Assert.Equal([NotificationState.Sent, NotificationState.Cancelled], erased.Select(n => n.State).Order());
        Assert.Equal(other, await Notifications.FindAsync(other.Id));
    }

    [Fact]
    public async Task A_notification_is_recorded_once_and_read_back_as_given()
    {
        var welcome = NewNotification();
        Assert.True(await Notifications.AddAsync(welcome));
        Assert.False(await Notifications.AddAsync(welcome with { Subject = "Another text" }));
        Assert.Equal(welcome, await Notifications.FindAsync(welcome.Id));
    }

    [Fact]
    public async Task A_claim_takes_the_earliest_due_pending_one_and_pushes_it_out_by_the_lease()
    {
        var later = NewNotification(dueAt: Now.AddSeconds(-1));
        var earlier = NewNotification(dueAt: Now.AddSeconds(-5));
        var future = NewNotification(dueAt: Now.AddMinutes(1));
        foreach (var n in new[] { later, earlier, future })
        {
            await Notifications.AddAsync(n);
        }
        var lease = Now.AddMinutes(2);
        Assert.Equal(earlier with { DueAt = lease }, await Notifications.ClaimNextDueAsync(Now, lease));
        Assert.Equal(later.Id, (await Notifications.ClaimNextDueAsync(Now, lease))?.Id);
        Assert.Null(await Notifications.ClaimNextDueAsync(Now, lease));
        Assert.Equal(future.Id, (await Notifications.ClaimNextDueAsync(Now.AddMinutes(1), lease))?.Id);
    }

    [Fact]
    public async Task Racing_claims_hand_each_notification_to_one_dispatcher()
    {
        var all = Enumerable.Range(0, 10).Select(_ => NewNotification()).ToList();
        foreach (var n in all)
        {
            await Notifications.AddAsync(n);
        }
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Notifications.ClaimNextDueAsync(Now, Now.AddMinutes(1)))));
        var claimed = claims.Where(c => c is not null).Select(c => c!.Id).ToList();
        Assert.Equal(all.Select(n => n.Id).Order(), claimed.Order());
    }

    [Fact]
    public async Task Racing_records_claims_and_marks_are_decided_per_notification()
    {
        var all = Enumerable.Range(0, 12).Select(_ => NewNotification()).ToList();
        var added = await Task.WhenAll(all.Concat(all).Select(n => Notifications.AddAsync(n)));
        Assert.Equal(all.Count, added.Count(recorded => recorded));
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Notifications.ClaimNextDueAsync(Now, Now.AddMinutes(1))));
        Assert.Equal(all.Select(n => n.Id).Order(), claims.OfType<Notification>().Select(c => c.Id).Order());
        var marks = await Task.WhenAll(all.Select(async (n, i) => await Task.WhenAll(
            i % 2 == 0 ? Notifications.MarkSentAsync(n.Id, 1, Now) : Notifications.MarkAttemptFailedAsync(n.Id, 1, "refused", null, Now),
            Notifications.MarkSentAsync(n.Id, 2, Now.AddSeconds(1)))));
        foreach (var (notification, i) in all.Select((n, i) => (n, i)))
        {
            Assert.Single(marks[i], won => won);
            var firstWon = marks[i][0];
            var stored = (await Notifications.FindAsync(notification.Id))!;
            Assert.Equal(firstWon ? (i % 2 == 0 ? NotificationState.Sent : NotificationState.Failed, 1) : (NotificationState.Sent, 2),
                (stored.State, stored.Attempts));
        }
    }

    [Fact]
    public async Task Racing_contact_writes_advance_each_contact_from_its_own_version()
    {
        var contacts = Enumerable.Range(0, 8).Select(i => new Contact(Guid.NewGuid(), $"user{i}@example.com", $"User {i}", 1)).ToList();
        Assert.All(await Task.WhenAll(contacts.Select(c => Contacts.TryWriteContactAsync(c))), Assert.True);
        var attempts = contacts.SelectMany(c => Enumerable.Range(0, 4).Select(i => c with { Version = 2, DisplayName = $"Writer {i}" })).ToList();
        var applied = await Task.WhenAll(attempts.Select(c => Contacts.TryWriteContactAsync(c)));
        foreach (var contact in contacts)
        {
            var winner = Assert.Single(attempts.Zip(applied), a => a.First.UserId == contact.UserId && a.Second).First;
            Assert.Equal(winner, await Contacts.FindContactAsync(contact.UserId));
        }
    }

    [Fact]
    public async Task A_batch_claim_takes_the_earliest_due_pending_ones_up_to_its_limit_in_due_order_and_pushes_them_out()
    {
        var due = Enumerable.Range(1, 5).Select(i => NewNotification(dueAt: Now.AddSeconds(-10 * i))).ToList();
        var future = NewNotification(dueAt: Now.AddMinutes(1));
        var sent = NewNotification(dueAt: Now.AddHours(-1));
        foreach (var n in due.Append(future).Append(sent))
        {
            await Notifications.AddAsync(n);
        }
        await Notifications.MarkSentAsync(sent.Id, 1, Now);
        var lease = Now.AddMinutes(2);

        var first = await Notifications.ClaimDueAsync(Now, lease, 3);
        Assert.Equal([due[4] with { DueAt = lease }, due[3] with { DueAt = lease }, due[2] with { DueAt = lease }], first);
        Assert.Equal([due[1].Id, due[0].Id], (await Notifications.ClaimDueAsync(Now, lease, 10)).Select(n => n.Id));
        Assert.Empty(await Notifications.ClaimDueAsync(Now, lease, 10));
        Assert.Equal(lease, (await Notifications.FindAsync(due[4].Id))!.DueAt);
    }

    [Fact]
    public async Task Racing_batch_claims_hand_each_notification_to_one_dispatcher()
    {
        var all = Enumerable.Range(0, 40).Select(_ => NewNotification()).ToList();
        foreach (var n in all)
        {
            await Notifications.AddAsync(n);
        }
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Notifications.ClaimDueAsync(Now, Now.AddMinutes(1), 7))));
        var rest = await Notifications.ClaimDueAsync(Now, Now.AddMinutes(1), 100);
        var claimed = claims.SelectMany(c => c).Concat(rest).Select(n => n.Id).ToList();
        Assert.Equal(all.Select(n => n.Id).Order(), claimed.Order());
    }

    [Fact]
    public async Task A_batch_of_outcomes_is_recorded_in_one_call_on_the_notifications_still_pending()
    {
        var (sent, retried, abandoned, released, late) = (NewNotification(), NewNotification(), NewNotification(), NewNotification(), NewNotification());
        foreach (var n in new[] { sent, retried, abandoned, released, late })
        {
            await Notifications.AddAsync(n);
        }
        await Notifications.MarkAttemptFailedAsync(released.Id, 2, "421 busy", Now, Now);
        await Notifications.MarkSentAsync(late.Id, 1, Now);
        var claimed = (await Notifications.FindAsync(released.Id))!;
        var at = Now.AddSeconds(5);

        var recorded = await Notifications.RecordOutcomesAsync([
            DeliveryOutcome.Sent(sent.Id, 1, at),
            DeliveryOutcome.AttemptFailed(retried.Id, 2, "421 try later", at.AddMinutes(1), at),
            DeliveryOutcome.AttemptFailed(abandoned.Id, 1, "550 no such mailbox", null, at),
            DeliveryOutcome.Released(claimed, at),
            DeliveryOutcome.AttemptFailed(late.Id, 2, "too late", at, at)]);

        Assert.Equal(4, recorded);
        Assert.Equal(sent with { State = NotificationState.Sent, Attempts = 1, SentAt = at, UpdatedAt = at }, await Notifications.FindAsync(sent.Id));
        Assert.Equal(retried with { Attempts = 2, LastError = "421 try later", DueAt = at.AddMinutes(1), UpdatedAt = at },
            await Notifications.FindAsync(retried.Id));
        Assert.Equal(abandoned with { State = NotificationState.Failed, Attempts = 1, LastError = "550 no such mailbox", DueAt = at, UpdatedAt = at },
            await Notifications.FindAsync(abandoned.Id));
        Assert.Equal(released with { Attempts = 2, LastError = "421 busy", DueAt = at, UpdatedAt = at }, await Notifications.FindAsync(released.Id));
        Assert.Equal(NotificationState.Sent, (await Notifications.FindAsync(late.Id))!.State);
        Assert.Equal(0, await Notifications.RecordOutcomesAsync([]));
    }

    [Fact]
    public async Task Next_due_is_the_earliest_pending_due_time()
    {
        Assert.Null(await Notifications.NextDueAsync());
        var soon = NewNotification(dueAt: Now.AddSeconds(10));
        await Notifications.AddAsync(soon);
        await Notifications.AddAsync(NewNotification(dueAt: Now.AddSeconds(20)));
        Assert.Equal(Now.AddSeconds(10), await Notifications.NextDueAsync());
        await Notifications.MarkSentAsync(soon.Id, 1, Now);
        Assert.Equal(Now.AddSeconds(20), await Notifications.NextDueAsync());
    }

    [Fact]
    public async Task Sent_is_final()
    {
        var welcome = NewNotification();
        await Notifications.AddAsync(welcome);
        Assert.True(await Notifications.MarkSentAsync(welcome.Id, 2, Now.AddSeconds(1)));
        Assert.False(await Notifications.MarkSentAsync(welcome.Id, 3, Now.AddSeconds(2)));
        Assert.False(await Notifications.MarkAttemptFailedAsync(welcome.Id, 3, "late failure", Now.AddSeconds(3), Now.AddSeconds(2)));
        Assert.Equal(
            welcome with { State = NotificationState.Sent, Attempts = 2, SentAt = Now.AddSeconds(1), UpdatedAt = Now.AddSeconds(1) },
            await Notifications.FindAsync(welcome.Id));
        Assert.Null(await Notifications.ClaimNextDueAsync(Now.AddHours(1), Now.AddHours(2)));
    }

    [Fact]
    public async Task A_failed_attempt_reschedules_or_gives_up()
    {
        var retried = NewNotification();
        var abandoned = NewNotification();
        await Notifications.AddAsync(retried);
        await Notifications.AddAsync(abandoned);
        Assert.True(await Notifications.MarkAttemptFailedAsync(retried.Id, 3, "421 try later", Now.AddMinutes(5), Now));
        Assert.True(await Notifications.MarkAttemptFailedAsync(abandoned.Id, 1, "550 no such mailbox", null, Now));
        Assert.Equal(retried with { Attempts = 3, LastError = "421 try later", DueAt = Now.AddMinutes(5) }, await Notifications.FindAsync(retried.Id));
        Assert.Equal(NotificationState.Failed, (await Notifications.FindAsync(abandoned.Id))!.State);
        Assert.Equal("550 no such mailbox", (await Notifications.FindAsync(abandoned.Id))!.LastError);
        Assert.Null(await Notifications.ClaimNextDueAsync(Now.AddMinutes(4), Now.AddMinutes(6)));
        Assert.Equal(retried.Id, (await Notifications.ClaimNextDueAsync(Now.AddMinutes(5), Now.AddMinutes(6)))?.Id);
    }

    [Fact]
    public async Task A_users_notifications_come_oldest_first()
    {
        var user = Guid.NewGuid();
        var second = NewNotification(user) with { CreatedAt = Now.AddSeconds(1) };
        var first = NewNotification(user);
        await Notifications.AddAsync(second);
        await Notifications.AddAsync(first);
        await Notifications.AddAsync(NewNotification());
        Assert.Equal([first.Id, second.Id], (await Notifications.ForUserAsync(user)).Select(n => n.Id));
    }

    [Fact]
    public async Task A_contact_change_records_the_notifications_it_owes_once_and_advances_the_contact()
    {
        var ada = new Contact(Guid.NewGuid(), "ada@example.com", "Ada", 1);
        var welcome = NewNotification(ada.UserId);
        Assert.Equal((true, 1), await Contacts.TryAdvanceAsync(ada, [welcome]));
        Assert.Equal((false, 0), await Contacts.TryAdvanceAsync(ada, [welcome]));
        var moved = ada with { Version = 2, Email = "ada@lovelace.org" };
        var (old, @new) = (NewNotification(ada.UserId), NewNotification(ada.UserId, recipient: "ada@lovelace.org"));
        Assert.Equal((false, 2), await Contacts.TryAdvanceAsync(moved with { Version = 3 }, [old, @new]));
        Assert.Equal((true, 0), await Contacts.TryAdvanceAsync(moved, [old, @new]));
        Assert.Equal(moved, await Contacts.FindContactAsync(ada.UserId));
        Assert.Equal(new[] { welcome.Id, old.Id, @new.Id }.Order(), (await Notifications.ForUserAsync(ada.UserId)).Select(n => n.Id).Order());
    }

    [Fact]
    public async Task Contacts_advance_one_version_at_a_time()
    {
        var ada = new Contact(Guid.NewGuid(), "ada@example.com", "Ada", 1);
        Assert.Null(await Contacts.FindContactAsync(ada.UserId));
        Assert.False(await Contacts.TryWriteContactAsync(ada with { Version = 2 }));
        Assert.True(await Contacts.TryWriteContactAsync(ada));
        Assert.False(await Contacts.TryWriteContactAsync(ada with { Email = "dup@example.com" }));
        Assert.False(await Contacts.TryWriteContactAsync(ada with { Version = 3, Email = "gap@example.com" }));
        var moved = ada with { Version = 2, Email = "ada@lovelace.org" };
        Assert.True(await Contacts.TryWriteContactAsync(moved));
        Assert.False(await Contacts.TryWriteContactAsync(moved with { DisplayName = "Stale" }));
        Assert.Equal(moved, await Contacts.FindContactAsync(ada.UserId));
    }
}
