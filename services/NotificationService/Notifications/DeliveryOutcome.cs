namespace NotificationService.Notifications;

/// <summary>
/// What one delivery round of a claimed notification came to, as the store records it: <see cref="NotificationState.Sent"/>
/// (at <see cref="At"/>), or pending again from <see cref="DueAt"/> with the error, or <see cref="NotificationState.Failed"/>
/// for good, or released untried (due again at once, attempts and last error as they were). Recorded only while the notification is still pending: a sent one is never made pending again.
/// </summary>
public sealed record DeliveryOutcome(Guid Id, NotificationState State, int Attempts, string? LastError, DateTimeOffset DueAt, DateTimeOffset At)
{
    public static DeliveryOutcome Sent(Guid id, int attempts, DateTimeOffset at) => new(id, NotificationState.Sent, attempts, null, at, at);

    /// <summary>A failed round: pending again, due at <paramref name="retryAt"/>; failed for good when that is null.</summary>
    public static DeliveryOutcome AttemptFailed(Guid id, int attempts, string lastError, DateTimeOffset? retryAt, DateTimeOffset at) =>
        new(id, retryAt is null ? NotificationState.Failed : NotificationState.Pending, attempts, lastError, retryAt ?? at, at);

    /// <summary>A claimed notification handed back without a try (shutdown, or the claim's lease running short): due at once.</summary>
    public static DeliveryOutcome Released(Notification notification, DateTimeOffset at) =>
        new(notification.Id, NotificationState.Pending, notification.Attempts, null, at, at);
}
