namespace Accounts.Domain;

public enum UserStatus
{
    Unregistered,
    Active,
    Deactivated,
    Erased,
}

/// <summary>What the decider needs to know about one account: the left fold of its events.</summary>
public sealed record UserState(
    Guid Id,
    string Email,
    string DisplayName,
    UserStatus Status,
    long Version,
    DateTimeOffset? RegisteredAt,
    DateTimeOffset? UpdatedAt)
{
    public static readonly UserState Initial = new(Guid.Empty, "", "", UserStatus.Unregistered, 0, null, null);

    public bool Exists => Status != UserStatus.Unregistered;

    public static UserState Fold(IEnumerable<IUserEvent> events) => events.Aggregate(Initial, Evolve);

    /// <summary>Applies one event. Every event type has a case; an unknown one is a bug, not something to skip.</summary>
    public static UserState Evolve(UserState state, IUserEvent @event)
    {
        var next = @event switch
        {
            UserRegistered e => state with
            {
                Id = e.UserId,
                Email = e.Email,
                DisplayName = e.DisplayName,
                Status = UserStatus.Active,
                RegisteredAt = e.OccurredAt,
            },
            UserEmailChanged e => state with { Email = e.NewEmail },
            UserRenamed e => state with { DisplayName = e.DisplayName },
            UserDeactivated => state with { Status = UserStatus.Deactivated },
            UserReactivated => state with { Status = UserStatus.Active },
            UserErased => state with { Status = UserStatus.Erased },
            _ => throw new ArgumentException($"No evolve case for {@event.GetType().Name}", nameof(@event)),
        };
        return next with { Version = state.Version + 1, UpdatedAt = @event.OccurredAt };
    }
}
