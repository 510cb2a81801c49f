namespace QueryService.Views;

/// <summary>
/// The read model of one account: what the directory lists and <c>GET /users/{id}</c> answers. <see cref="Version"/> is the
/// last applied stream version; times are kept to the millisecond (what a BSON date holds), in UTC.
/// </summary>
public sealed record UserProfile(
    Guid UserId,
    string Email,
    string DisplayName,
    UserStatus Status,
    long Version,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The case-insensitive key e-mail prefix search runs on.</summary>
    public string EmailKey => SearchKey.Of(Email);

    /// <summary>The case-insensitive key the directory is sorted by and display-name prefix search runs on.</summary>
    public string NameKey => SearchKey.Of(DisplayName);
}
