namespace QueryService.Views;

public enum UserStatus
{
    Active,
    Deactivated,
}

/// <summary>The one spelling of a status in stores, queries and JSON: "active", "deactivated".</summary>
public static class UserStatusText
{
    public const string Active = "active";
    public const string Deactivated = "deactivated";

    public static string Of(UserStatus status) => status == UserStatus.Active ? Active : Deactivated;

    public static bool TryParse(string? text, out UserStatus status)
    {
        status = text == Deactivated ? UserStatus.Deactivated : UserStatus.Active;
        return text is Active or Deactivated;
    }

    public static UserStatus Parse(string text) =>
        TryParse(text, out var status) ? status : throw new FormatException($"Unknown user status '{text}'.");
}
