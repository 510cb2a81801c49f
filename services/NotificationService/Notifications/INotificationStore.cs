namespace NotificationService.Notifications;

/// <summary>
/// The notification log. Adding is insert-if-absent by id; a dispatcher claims one due pending notification at a time
/// (pushing its <see cref="Notification.DueAt"/> out by a lease, so no other dispatcher takes it meanwhile), then records
/// the outcome. Outcomes apply only to pending notifications: a sent one is never made pending again.
/// </summary>
public interface INotificationStore
{
    /// <summary>Records <paramref name="notification"/> unless one with its id exists; true if it was added.</summary>
    Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default);

    Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The pending notification due earliest (at or before <paramref name="now"/>), now due again at <paramref name="leaseUntil"/>.</summary>
    Task<Notification?> ClaimNextDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default);

    /// <summary>When the earliest pending notification is due, or null if none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    Task<bool> MarkSentAsync(Guid id, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a failed delivery: pending again, due at <paramref name="retryAt"/>; failed for good when that is null.</summary>
    Task<bool> MarkAttemptFailedAsync(Guid id, int attempts, string lastError, DateTimeOffset? retryAt, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets an erased user: blanks the recipient, subject, body and last error of each of the user's notifications and
    /// cancels the pending ones (idempotent).
    /// </summary>
    Task EraseUserAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A user's notifications, oldest first.</summary>
    Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default);
}
