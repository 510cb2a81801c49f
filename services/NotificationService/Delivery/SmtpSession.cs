using MailKit.Net.Smtp;
using MimeKit;

namespace NotificationService.Delivery;

/// <summary>
/// One SMTP connection for a batch of messages: connected (and authenticated) at the first send, reused for the next ones
/// up to <see cref="SmtpOptions.MessagesPerConnection"/>, dropped after any failure (the next send, a retry included,
/// connects anew), and closed with QUIT at the end. Once the server accepted a message, a failure to say goodbye is only
/// logged: failing then would make the caller retry an accepted message and send it twice.
/// </summary>
internal sealed class SmtpSession(SmtpOptions smtp, ILogger logger) : IMailSession
{
    private SmtpClient? _client;
    private int _sentOnConnection;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (_client is not null && _sentOnConnection >= smtp.MessagesPerConnection)
        {
            await QuitAsync();
        }
        try
        {
            var client = _client is { IsConnected: true } open ? open : await ConnectAsync(cancellationToken);
            await client.SendAsync(message, cancellationToken);
            _sentOnConnection++;
        }
        catch
        {
            Drop();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await QuitAsync();

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        Drop();
        var client = _client = new SmtpClient();
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Smtp:Host is not set."), smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }
        _sentOnConnection = 0;
        return client;
    }

    private async Task QuitAsync()
    {
        if (_client is not { } client)
        {
            return;
        }
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException)
        {
            logger.LogWarning(e, "{Count} messages were accepted, but closing the SMTP connection failed", _sentOnConnection);
        }
        finally
        {
            Drop();
        }
    }

    private void Drop()
    {
        _client?.Dispose();
        _client = null;
    }
}
