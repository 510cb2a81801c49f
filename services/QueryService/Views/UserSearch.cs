namespace QueryService.Views;

/// <summary>A directory query: an optional prefix of e-mail or display name, an optional status, a page after a position.</summary>
public sealed record UserSearch(string? Prefix, UserStatus? Status, int Limit, DirectoryPosition? After = null)
{
    public string? PrefixKey => string.IsNullOrEmpty(Prefix) ? null : SearchKey.Of(Prefix);
}

/// <summary>Where a directory page ends: the directory is ordered by display-name key, then by user id.</summary>
public sealed record DirectoryPosition(string NameKey, Guid UserId)
{
    public static DirectoryPosition Of(UserProfile profile) => new(profile.NameKey, profile.UserId);
}
