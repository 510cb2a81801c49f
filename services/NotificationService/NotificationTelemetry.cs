using System.Diagnostics;

namespace NotificationService;

/// <summary>
/// The notification service's own OpenTelemetry source and meter name: a span <c>notify &lt;Message&gt;</c> around
/// recording a message's notifications, and a span <c>smtp send</c> per delivery attempt, started as the child of the trace
/// context stored with the notification (the delivery runs later, outside the consume context).
/// </summary>
public static class NotificationTelemetry
{
    public const string Name = "Accounts.NotificationService";

    public const string SendSpan = "smtp send";

    public static readonly ActivitySource Source = new(Name);

    public static void RecordFailure(this Activity? activity, Exception e)
    {
        activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        activity?.SetTag("error.type", e.GetType().Name);
    }
}
