namespace Accounts.Domain;

/// <summary>Pure decisions: given the folded state and a command, which events happen (or which rule is broken).</summary>
public static class UserDecider
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxReasonLength = 500;

    public static Decision Decide(UserState state, UserCommand command, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return command switch
        {
            RegisterUser c => Register(state, c, now),
            ChangeEmail c => WhenActive(state, () => ChangeEmail(state, c, now)),
            RenameUser c => WhenActive(state, () => Rename(state, c, now)),
            DeactivateUser c => WhenActive(state, () => Deactivate(c, now)),
            ReactivateUser c => Reactivate(state, c, now),
            _ => throw new ArgumentException($"Unknown command {command.GetType().Name}", nameof(command)),
        };
    }

    /// <summary>True when a registration repeats the one that created the account (an idempotent retry).</summary>
    public static bool Repeats(UserRegistered registered, RegisterUser command) =>
        EmailAddress.TryNormalize(command.Email, out var email)
        && email == registered.Email
        && command.DisplayName.Trim() == registered.DisplayName;

    private static Decision Register(UserState state, RegisterUser c, DateTimeOffset now)
    {
        if (state.Exists)
        {
            return Decision.Reject(Rule.AlreadyRegistered, $"User {c.UserId} is already registered.");
        }
        if (!EmailAddress.TryNormalize(c.Email, out var email))
        {
            return InvalidEmail(c.Email);
        }
        if (!TryDisplayName(c.DisplayName, out var name))
        {
            return InvalidDisplayName();
        }
        return Decision.Accept(new UserRegistered(c.UserId, email, name, now));
    }

    private static Decision ChangeEmail(UserState state, ChangeEmail c, DateTimeOffset now)
    {
        if (!EmailAddress.TryNormalize(c.Email, out var email))
        {
            return InvalidEmail(c.Email);
        }
        return email == state.Email
            ? Decision.Reject(Rule.NothingChanged, $"The e-mail address is already {email}.")
            : Decision.Accept(new UserEmailChanged(c.UserId, state.Email, email, now));
    }

    private static Decision Rename(UserState state, RenameUser c, DateTimeOffset now)
    {
        if (!TryDisplayName(c.DisplayName, out var name))
        {
            return InvalidDisplayName();
        }
        return name == state.DisplayName
            ? Decision.Reject(Rule.NothingChanged, $"The display name is already '{name}'.")
            : Decision.Accept(new UserRenamed(c.UserId, state.DisplayName, name, now));
    }

    private static Decision Deactivate(DeactivateUser c, DateTimeOffset now)
    {
        var reason = c.Reason?.Trim() ?? "";
        return reason.Length is 0 or > MaxReasonLength
            ? Decision.Reject(Rule.InvalidReason, $"The reason must be 1 to {MaxReasonLength} characters.")
            : Decision.Accept(new UserDeactivated(c.UserId, reason, now));
    }

    private static Decision Reactivate(UserState state, ReactivateUser c, DateTimeOffset now) => state.Status switch
    {
        UserStatus.Unregistered => NotFound(c.UserId),
        UserStatus.Active => Decision.Reject(Rule.AlreadyActive, $"User {c.UserId} is already active."),
        _ => Decision.Accept(new UserReactivated(c.UserId, now)),
    };

    private static Decision WhenActive(UserState state, Func<Decision> decide) => state.Status switch
    {
        UserStatus.Unregistered => NotFound(state.Id),
        UserStatus.Deactivated => Decision.Reject(Rule.AccountDeactivated, $"User {state.Id} is deactivated; only reactivation is allowed."),
        _ => decide(),
    };

    private static bool TryDisplayName(string? input, out string name)
    {
        name = input?.Trim() ?? "";
        return name.Length is > 0 and <= MaxDisplayNameLength;
    }

    private static Decision NotFound(Guid id) => Decision.Reject(Rule.UserNotFound, $"User {id} does not exist.");

    private static Decision InvalidEmail(string? email) =>
        Decision.Reject(Rule.InvalidEmail, $"'{email}' is not a valid e-mail address.");

    private static Decision InvalidDisplayName() =>
        Decision.Reject(Rule.InvalidDisplayName, $"The display name must be 1 to {MaxDisplayNameLength} characters after trimming.");
}
