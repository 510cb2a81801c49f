namespace NotificationService.Notifications;

public enum NotificationKind
{
    Welcome,
    EmailChangedOldAddress,
    EmailChangedNewAddress,
    Farewell,
}

/// <summary>The one spelling of a kind in stores, ids and JSON.</summary>
public static class NotificationKindText
{
    public static string Of(NotificationKind kind) => kind switch
    {
        NotificationKind.Welcome => "welcome",
        NotificationKind.EmailChangedOldAddress => "email-changed-old-address",
        NotificationKind.EmailChangedNewAddress => "email-changed-new-address",
        NotificationKind.Farewell => "farewell",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static NotificationKind Parse(string text) => text switch
    {
        "welcome" => NotificationKind.Welcome,
        "email-changed-old-address" => NotificationKind.EmailChangedOldAddress,
        "email-changed-new-address" => NotificationKind.EmailChangedNewAddress,
        "farewell" => NotificationKind.Farewell,
        _ => throw new FormatException($"Unknown notification kind '{text}'."),
    };
}
