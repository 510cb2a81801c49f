namespace NotificationService.Delivery;

/// <summary>
/// Hands a batch of messages to the mail system, one after another, over what the sender can share between them (one SMTP
/// connection). Disposing ends it; a message counts as delivered once its <see cref="SendAsync"/> returned.
/// </summary>
public interface IMailSession : IAsyncDisposable
{
    Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The session of a sender with nothing to share: each message is sent on its own.</summary>
internal sealed class MessageByMessageSession(IMailSender sender) : IMailSession
{
    public Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken) => sender.SendAsync(message, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
