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

/// <summary>The stable type names under which events are stored. Changing one orphans every stored event of that type.</summary>
public static class UserEventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByName = new Dictionary<string, Type>
    {
        ["UserRegistered"] = typeof(UserRegistered),
        ["UserEmailChanged"] = typeof(UserEmailChanged),
        ["UserRenamed"] = typeof(UserRenamed),
        ["UserDeactivated"] = typeof(UserDeactivated),
        ["UserReactivated"] = typeof(UserReactivated),
    };

    private static readonly Dictionary<Type, string> NameByType = ByName.ToDictionary(pair => pair.Value, pair => pair.Key);

    public static string NameOf(IUserEvent @event) =>
        NameByType.TryGetValue(@event.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{@event.GetType().Name} has no stable type name", nameof(@event));
}
