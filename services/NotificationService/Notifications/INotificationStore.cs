namespace NotificationService.Notifications;

/// <summary>
/// The notification log. Adding is insert-if-absent by id; a dispatcher claims a batch of due pending notifications in one
/// round trip (pushing their <see cref="Notification.DueAt"/> out by a lease, so no other dispatcher takes them meanwhile),
/// then records the batch's outcomes in one round trip. Outcomes apply only to pending notifications: a sent one is never
/// made pending again.
/// </summary>
public interface INotificationStore
{
    /// <summary>Records <paramref name="notification"/> unless one with its id exists; true if it was added.</summary>
    Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default);

    Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> pending notifications due at or before <paramref name="now"/>, earliest due first, now
    /// due again at <paramref name="leaseUntil"/>. Racing claims never hand one notification to two callers.
    /// </summary>
    Task<IReadOnlyList<Notification>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default);

    /// <summary>When the earliest pending notification is due, or null if none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Records each outcome on its notification if that is still pending; returns how many were recorded.</summary>
    Task<int> RecordOutcomesAsync(IReadOnlyCollection<DeliveryOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets an erased user: blanks the recipient, subject, body and last error of each of the user's notifications and
    /// cancels the pending ones (idempotent).
    /// </summary>
    Task EraseUserAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A user's notifications, oldest first.</summary>
    Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default);
}

/// <summary>One notification at a time, through the batch operations.</summary>
public static class NotificationStoreExtensions
{
    /// <summary>The pending notification due earliest (at or before <paramref name="now"/>), now due again at <paramref name="leaseUntil"/>.</summary>
    public static async Task<Notification?> ClaimNextDueAsync(
        this INotificationStore store, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        await store.ClaimDueAsync(now, leaseUntil, 1, cancellationToken) is [var first, ..] ? first : null;

    public static async Task<bool> MarkSentAsync(
        this INotificationStore store, Guid id, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await store.RecordOutcomesAsync([DeliveryOutcome.Sent(id, attempts, at)], cancellationToken) == 1;

    /// <summary>Records a failed delivery: pending again, due at <paramref name="retryAt"/>; failed for good when that is null.</summary>
    public static async Task<bool> MarkAttemptFailedAsync(this INotificationStore store,
        Guid id, int attempts, string lastError, DateTimeOffset? retryAt, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await store.RecordOutcomesAsync([DeliveryOutcome.AttemptFailed(id, attempts, lastError, retryAt, at)], cancellationToken) == 1;
}
