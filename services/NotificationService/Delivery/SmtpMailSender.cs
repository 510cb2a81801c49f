using Microsoft.Extensions.Options;
using MimeKit;

namespace NotificationService.Delivery;

/// <summary>
/// Sends by SMTP with MailKit: a batch shares one connection (<see cref="SmtpSession"/>); a message sent on its own gets a
/// session of its own.
/// </summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await using var session = OpenSession();
        await session.SendAsync(message, cancellationToken);
    }

    public IMailSession OpenSession() => new SmtpSession(options.Value, logger);
}
