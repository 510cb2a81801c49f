namespace Accounts.Domain;

/// <summary>Something that happened to one user account. Never renamed: a breaking change is a new V2 event.</summary>
public interface IUserEvent
{
    Guid UserId { get; }
    DateTimeOffset OccurredAt { get; }
}

public sealed record UserRegistered(Guid UserId, string Email, string DisplayName, DateTimeOffset OccurredAt) : IUserEvent;

public sealed record UserEmailChanged(Guid UserId, string OldEmail, string NewEmail, DateTimeOffset OccurredAt) : IUserEvent;

public sealed record UserRenamed(Guid UserId, string OldDisplayName, string DisplayName, DateTimeOffset OccurredAt) : IUserEvent;

public sealed record UserDeactivated(Guid UserId, string Reason, DateTimeOffset OccurredAt) : IUserEvent;

public sealed record UserReactivated(Guid UserId, DateTimeOffset OccurredAt) : IUserEvent;

/// <summary>The account was erased (GDPR art. 17): its data key is destroyed; this event itself holds no personal data.</summary>
public sealed record UserErased(Guid UserId, DateTimeOffset OccurredAt) : IUserEvent;

/// <summary>The account events by their stable names (the account part of <see cref="StoredEventTypes"/>).</summary>
public static class UserEventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByName =
        StoredEventTypes.All.Where(entry => typeof(IUserEvent).IsAssignableFrom(entry.Type)).ToDictionary(entry => entry.Name, entry => entry.Type);
}
