namespace NotificationService.Notifications;

public enum NotificationState
{
    Pending,
    Sent,
    Failed,

    /// <summary>Never to be sent: its user was erased before it went out.</summary>
    Cancelled,
}

/// <summary>The one spelling of a state in stores and JSON.</summary>
public static class NotificationStateText
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static string Of(NotificationState state) => state switch
    {
        NotificationState.Pending => Pending,
        NotificationState.Sent => Sent,
        NotificationState.Failed => Failed,
        NotificationState.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static NotificationState Parse(string text) => text switch
    {
        Pending => NotificationState.Pending,
        Sent => NotificationState.Sent,
        Failed => NotificationState.Failed,
        Cancelled => NotificationState.Cancelled,
        _ => throw new FormatException($"Unknown notification state '{text}'."),
    };
}
