namespace Accounts.Contracts;

/// <summary>
/// Every integration message is about one user account at one stream version. Consumers de-duplicate and order by
/// (<see cref="UserId"/>, <see cref="Version"/>); the transport message id is the id of the domain event.
/// </summary>
public interface IUserMessage
{
    Guid UserId { get; }

    /// <summary>The account's stream version after the change (1 for the registration).</summary>
    long Version { get; }

    DateTimeOffset OccurredAt { get; }
}

/// <summary>v2 added <see cref="PreferredLanguage"/> (optional, default null).</summary>
public sealed record UserRegistered(Guid UserId, long Version, DateTimeOffset OccurredAt, string Email, string DisplayName, string? PreferredLanguage = null)
    : IUserMessage;

public sealed record UserEmailChanged(Guid UserId, long Version, DateTimeOffset OccurredAt, string OldEmail, string NewEmail) : IUserMessage;

public sealed record UserRenamed(Guid UserId, long Version, DateTimeOffset OccurredAt, string DisplayName) : IUserMessage;

public sealed record UserDeactivated(Guid UserId, long Version, DateTimeOffset OccurredAt, string Reason) : IUserMessage;

public sealed record UserReactivated(Guid UserId, long Version, DateTimeOffset OccurredAt) : IUserMessage;

/// <summary>The account was erased: every service deletes the personal data it holds about it. Carries none itself.</summary>
public sealed record UserErased(Guid UserId, long Version, DateTimeOffset OccurredAt) : IUserMessage;
