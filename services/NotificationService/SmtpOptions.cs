using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace NotificationService;

/// <summary>Settings of section <c>Smtp</c>; without <see cref="Host"/> mail goes to the pickup directory instead.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    /// <summary>The SMTP server; unset or empty: .eml files in <c>Notifications:PickupDirectory</c>.</summary>
    public string? Host { get; set; }

    [Range(1, 65_535)]
    public int Port { get; set; } = 25;

    /// <summary>The sender of every notification.</summary>
    [Required]
    public string From { get; set; } = "accounts@localhost";

    /// <summary>Authenticates when set (with <see cref="Password"/>).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Messages sent over one connection before it is closed and a new one opened (servers limit it, e.g. Exchange, Postfix
    /// rate limits); a batch of deliveries shares connections, a failed send always opens a new one.
    /// </summary>
    [Range(1, 100_000)]
    public int MessagesPerConnection { get; set; } = 50;

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.None;
}
