using MimeKit;
using NotificationService.Notifications;

namespace NotificationService.Delivery;

/// <summary>
/// Turns a notification into a MIME message. Its Message-ID is the notification id (at the sender's domain), so the rare
/// duplicate (a crash after the server accepted, before it was marked sent) is recognisable as one.
/// </summary>
public static class MailMessages
{
    public const string NotificationIdHeader = "X-Notification-Id";

    public static MimeMessage For(Notification notification, string from)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage
        {
            MessageId = MessageIdOf(notification.Id, sender.Domain),
            Date = notification.CreatedAt,
            Subject = notification.Subject,
            Body = new TextPart("plain") { Text = notification.Body },
        };
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(notification.Recipient));
        message.Headers.Add(NotificationIdHeader, notification.Id.ToString());
        return message;
    }

    public static string MessageIdOf(Guid notificationId, string domain) =>
        $"{notificationId:D}@{(string.IsNullOrEmpty(domain) ? "localhost" : domain)}";
}
