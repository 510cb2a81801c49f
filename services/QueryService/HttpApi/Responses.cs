using QueryService.Views;

namespace QueryService.HttpApi;

public sealed record UserProfileResponse(
    Guid Id, string Email, string DisplayName, string Status, long Version, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt)
{
    public static UserProfileResponse From(UserProfile p) =>
        new(p.UserId, p.Email, p.DisplayName, UserStatusText.Of(p.Status), p.Version, p.RegisteredAt, p.UpdatedAt);
}

/// <summary>A directory page; <see cref="Next"/> is the <c>after</c> cursor of the following page, null on the last one.</summary>
public sealed record UserPageResponse(IReadOnlyList<UserProfileResponse> Items, string? Next);

public sealed record StatsResponse(long Active, long Deactivated);
