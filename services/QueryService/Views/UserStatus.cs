namespace QueryService.Views;

public enum UserStatus
{
    Active,
    Deactivated,

    /// <summary>
    /// The account was erased: its view is a tombstone without personal data (id and version only, so a redelivered older
    /// message cannot bring it back), left out of lookups, the directory and the counts.
    /// </summary>
    Erased,
}

/// <summary>The one spelling of a status in stores, queries and JSON: "active", "deactivated" ("erased" only in stores).</summary>
public static class UserStatusText
{
    public const string Active = "active";
    public const string Deactivated = "deactivated";
    public const string Erased = "erased";

    public static string Of(UserStatus status) => status switch
    {
        UserStatus.Active => Active,
        UserStatus.Deactivated => Deactivated,
        _ => Erased,
    };

    public static bool TryParse(string? text, out UserStatus status)
    {
        status = text == Deactivated ? UserStatus.Deactivated : UserStatus.Active;
        return text is Active or Deactivated;
    }

    public static UserStatus Parse(string text) =>
        text == Erased ? UserStatus.Erased
        : TryParse(text, out var status) ? status : throw new FormatException($"Unknown user status '{text}'.");
}
