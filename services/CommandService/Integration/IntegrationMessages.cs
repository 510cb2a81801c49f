using Accounts.Domain;
using Contracts = Accounts.Contracts;

namespace CommandService.Integration;

/// <summary>Translates domain events (private to this service) into the public integration messages of contracts/.</summary>
public static class IntegrationMessages
{
    /// <param name="version">The account's stream version after the event (revision + 1).</param>
    public static Contracts.IUserMessage From(IUserEvent @event, long version) => @event switch
    {
        UserRegistered e => new Contracts.UserRegistered(e.UserId, version, e.OccurredAt, e.Email, e.DisplayName),
        UserEmailChanged e => new Contracts.UserEmailChanged(e.UserId, version, e.OccurredAt, e.OldEmail, e.NewEmail),
        UserRenamed e => new Contracts.UserRenamed(e.UserId, version, e.OccurredAt, e.DisplayName),
        UserDeactivated e => new Contracts.UserDeactivated(e.UserId, version, e.OccurredAt, e.Reason),
        UserReactivated e => new Contracts.UserReactivated(e.UserId, version, e.OccurredAt),
        UserErased e => new Contracts.UserErased(e.UserId, version, e.OccurredAt),
        _ => throw new ArgumentException($"No integration message for {@event.GetType().Name}", nameof(@event)),
    };
}
