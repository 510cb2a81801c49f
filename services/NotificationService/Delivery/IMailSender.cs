using MimeKit;

namespace NotificationService.Delivery;

/// <summary>Hands one message to the mail system; returns once it was accepted (by the SMTP server, or written to disk).</summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);

    /// <summary>A session for a batch of messages (by default each is sent on its own, as <see cref="SendAsync"/> does).</summary>
    IMailSession OpenSession() => new MessageByMessageSession(this);
}
