using Accounts.Contracts;

namespace NotificationService.Notifications;

/// <summary>
/// The pure decision of what one integration message means here: the contact afterwards and the notifications it owes.
/// Version checks happen before; the same inputs always give the same ids and texts, so a retry records nothing new.
/// </summary>
public sealed record NotificationPlan(Contact Contact, IReadOnlyList<Notification> Notifications)
{
    public static NotificationPlan For(Contact? before, IUserMessage message, Guid messageId, DateTimeOffset now)
    {
        if (message is UserRegistered registered)
        {
            var contact = new Contact(registered.UserId, registered.Email, registered.DisplayName, registered.Version);
            return new(contact, [New(NotificationKind.Welcome, contact.Email, NotificationTexts.Welcome(contact.DisplayName))]);
        }
        var current = before ?? throw new InvalidOperationException(
            $"{message.GetType().Name} v{message.Version} of user {message.UserId} has no contact to change.");
        return message switch
        {
            UserEmailChanged m => new(current with { Email = m.NewEmail, Version = m.Version },
            [
                New(NotificationKind.EmailChangedOldAddress, m.OldEmail, NotificationTexts.EmailChangedOldAddress(current.DisplayName, m.NewEmail)),
                New(NotificationKind.EmailChangedNewAddress, m.NewEmail, NotificationTexts.EmailChangedNewAddress(current.DisplayName)),
            ]),
            UserRenamed m => new(current with { DisplayName = m.DisplayName, Version = m.Version }, []),
            UserDeactivated m => new(current with { Version = m.Version },
                [New(NotificationKind.Farewell, current.Email, NotificationTexts.Farewell(current.DisplayName, m.Reason))]),
            UserReactivated m => new(current with { Version = m.Version }, []),
            UserErased m => new(current with { Email = "", DisplayName = "", Version = m.Version }, []),
            _ => throw new ArgumentException($"No notification plan is defined for {message.GetType().Name}.", nameof(message)),
        };

        Notification New(NotificationKind kind, string recipient, (string Subject, string Body) text)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
            return new Notification(NotificationId.For(messageId, kind, recipient), message.UserId, messageId, kind, recipient,
                text.Subject, text.Body, NotificationState.Pending, 0, null, at, at, at, null);
        }
    }
}
