using Accounts.Contracts;

namespace NotificationService.Notifications;

/// <summary>
/// Handles one integration message, order-safe and idempotent: equal or older than the contact's version is a duplicate,
/// a gap throws <see cref="MessageOutOfOrderException"/> (retried). Otherwise the notifications are recorded first
/// (insert-if-absent) and the contact advanced after, so a crash in between only repeats no-op inserts on redelivery.
/// </summary>
public sealed class UserNotifier(
    IContactStore contacts, INotificationStore notifications, DispatchSignal dispatch, TimeProvider time, ILogger<UserNotifier> logger)
{
    public async Task HandleAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var contact = await contacts.FindContactAsync(message.UserId, cancellationToken);
            var stored = contact?.Version ?? 0;
            if (message.Version <= stored)
            {
                logger.LogDebug("Skipped {Message} v{Version} of user {UserId}: the contact is at v{Stored}",
                    message.GetType().Name, message.Version, message.UserId, stored);
                return;
            }
            if (message.Version > stored + 1)
            {
                throw new MessageOutOfOrderException(message, stored);
            }
            var plan = NotificationPlan.For(contact, message, messageId, time.GetUtcNow());
            var added = 0;
            foreach (var notification in plan.Notifications)
            {
                added += await notifications.AddAsync(notification, cancellationToken) ? 1 : 0;
            }
            if (added > 0)
            {
                dispatch.Wake();
            }
            if (await contacts.TryWriteContactAsync(plan.Contact, cancellationToken))
            {
                return;
            }
        }
    }
}
