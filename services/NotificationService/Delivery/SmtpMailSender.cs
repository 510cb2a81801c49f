using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace NotificationService.Delivery;

/// <summary>
/// Sends by SMTP with MailKit, one connection per message. Once the server accepted the message, a failure to say goodbye
/// is only logged: failing then would make the caller retry an accepted message and send it twice.
/// </summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not set."), smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException)
        {
            logger.LogWarning(e, "Message {MessageId} was accepted, but closing the SMTP connection failed", message.MessageId);
        }
    }
}
