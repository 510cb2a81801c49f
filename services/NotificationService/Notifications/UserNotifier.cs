using System.Diagnostics;
using Accounts.Contracts;

namespace NotificationService.Notifications;

/// <summary>
/// Handles one integration message, order-safe and idempotent: equal or older than the contact's version is a duplicate,
/// a gap throws <see cref="MessageOutOfOrderException"/> (retried). Otherwise the notifications are recorded first
/// (insert-if-absent) and the contact advanced after, so a crash in between only repeats no-op inserts on redelivery.
/// Each message is a span <c>notify &lt;Message&gt;</c>, and every notification recorded keeps the current W3C trace context
/// so the dispatcher's later delivery joins this trace.
/// </summary>
public sealed class UserNotifier(
    IContactStore contacts, INotificationStore notifications, DispatchSignal dispatch, TimeProvider time, ILogger<UserNotifier> logger)
{
    public async Task HandleAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken = default)
    {
        using var activity = NotificationTelemetry.Source.StartActivity($"notify {message.GetType().Name}", ActivityKind.Internal);
        activity?.SetTag("user.id", message.UserId.ToString());
        activity?.SetTag("user.version", message.Version);
        activity?.SetTag("messaging.message.id", messageId.ToString());
        try
        {
            var recorded = await RecordAsync(message, messageId, cancellationToken);
            activity?.SetTag("notifications.recorded", recorded);
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    /// <summary>Returns how many notifications were newly recorded (none for a duplicate).</summary>
    private async Task<int> RecordAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken)
    {
        var trace = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);
        var recorded = 0;
        while (true)
        {
            var contact = await contacts.FindContactAsync(message.UserId, cancellationToken);
            var stored = contact?.Version ?? 0;
            if (message.Version <= stored)
            {
                logger.LogDebug("Skipped {Message} v{Version} of user {UserId}: the contact is at v{Stored}",
                    message.GetType().Name, message.Version, message.UserId, stored);
                return recorded;
            }
            if (message.Version > stored + 1)
            {
                throw new MessageOutOfOrderException(message, stored);
            }
            var plan = NotificationPlan.For(contact, message, messageId, time.GetUtcNow());
            var added = 0;
            foreach (var notification in plan.Notifications)
            {
                var traced = notification with { TraceParent = trace.Id, TraceState = trace.TraceStateString };
                added += await notifications.AddAsync(traced, cancellationToken) ? 1 : 0;
            }
            if (added > 0)
            {
                dispatch.Wake();
            }
            recorded += added;
            if (await contacts.TryWriteContactAsync(plan.Contact, cancellationToken))
            {
                return recorded;
            }
        }
    }
}
