namespace NotificationService.Notifications;

/// <summary>
/// One e-mail the service owes someone, recorded once (its <see cref="Id"/> is derived from message id, kind and
/// recipient) with its text already rendered, then delivered: <see cref="NotificationState.Pending"/> until the SMTP server
/// accepted it (<see cref="NotificationState.Sent"/>) or it failed for good. <see cref="DueAt"/> is when a dispatcher may
/// (next) try it; while one tries, it is pushed out by the claim lease. Times are kept to the millisecond, in UTC.
/// <see cref="TraceParent"/> and <see cref="TraceState"/> are the W3C trace context in which it was recorded, so its
/// later delivery joins the trace of the change that caused it.
/// </summary>
public sealed record Notification(
    Guid Id,
    Guid UserId,
    Guid MessageId,
    NotificationKind Kind,
    string Recipient,
    string Subject,
    string Body,
    NotificationState State,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? SentAt,
    string? TraceParent = null,
    string? TraceState = null);
