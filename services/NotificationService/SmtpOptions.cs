using MailKit.Security;

namespace NotificationService;

/// <summary>Settings of section <c>Smtp</c>; without <see cref="Host"/> mail goes to the pickup directory instead.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string From { get; set; } = "accounts@localhost";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.None;
}
