using MailKit.Net.Smtp;
using MimeKit;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace NotificationService.Delivery;

/// <summary>Which delivery failures are worth another try: everything but a permanent (5xx) refusal or an unusable address.</summary>
public static class DeliveryFailures
{
    public static bool IsPermanent(Exception exception) => exception switch
    {
        SmtpCommandException { StatusCode: var code } => (int)code >= 500,
        ParseException => true,
        _ => false,
    };

    /// <summary>Worth retrying at once: not permanent, not a cancellation, not an open circuit (that waits for the break).</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutRejectedException => true,
        BrokenCircuitException or OperationCanceledException => false,
        _ => !IsPermanent(exception),
    };
}
