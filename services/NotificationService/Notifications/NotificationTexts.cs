namespace NotificationService.Notifications;

/// <summary>Subjects and plain-text bodies of the notifications.</summary>
public static class NotificationTexts
{
    public static (string Subject, string Body) Welcome(string name) =>
        ($"Welcome, {name}", $"Hello {name},\n\nyour account is ready. Welcome aboard!\n");

    public static (string Subject, string Body) EmailChangedOldAddress(string name, string newEmail) =>
        ("Your e-mail address was changed",
         $"Hello {name},\n\nthe e-mail address of your account was changed to {newEmail}; we will write there from now on.\n" +
         "If you did not ask for this, please contact us.\n");

    public static (string Subject, string Body) EmailChangedNewAddress(string name) =>
        ("Your new e-mail address", $"Hello {name},\n\nthis is now the e-mail address of your account.\n");

    public static (string Subject, string Body) Farewell(string name, string reason) =>
        ("Your account was deactivated", $"Hello {name},\n\nyour account was deactivated ({reason}). We are sorry to see you go.\n");
}
