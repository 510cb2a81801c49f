using Accounts.Contracts;
using QueryService.Views;

namespace QueryService.Projection;

/// <summary>The pure fold of integration messages into a profile. Version checks happen before; this only says what changes.</summary>
public static class UserProfileEvolution
{
    public static UserProfile Evolve(UserProfile? current, IUserMessage message)
    {
        var at = ToMilliseconds(message.OccurredAt);
        if (message is UserRegistered registered)
        {
            return new UserProfile(registered.UserId, registered.Email, registered.DisplayName, UserStatus.Active, registered.Version, at, at);
        }
        var profile = current ?? throw new InvalidOperationException(
            $"{message.GetType().Name} v{message.Version} of user {message.UserId} has no registered profile to change.");
        var changed = message switch
        {
            UserEmailChanged m => profile with { Email = m.NewEmail },
            UserRenamed m => profile with { DisplayName = m.DisplayName },
            UserDeactivated => profile with { Status = UserStatus.Deactivated },
            UserReactivated => profile with { Status = UserStatus.Active },
            UserErased => profile with { Email = "", DisplayName = "", Status = UserStatus.Erased },
            _ => throw new ArgumentException($"No profile change is defined for {message.GetType().Name}.", nameof(message)),
        };
        return changed with { Version = message.Version, UpdatedAt = at };
    }

    private static DateTimeOffset ToMilliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
