namespace Accounts.Domain;

/// <summary>Pure decisions: given the folded state and a command, which events happen (or which rule is broken).</summary>
public static class UserDecider
{
    public const int MaxDisplayNameLength = 100;
    public const int MaxReasonLength = 500;

    /// <summary>The checks that need no state: bad input is reported before anything is read or written.</summary>
    public static Rejection? Validate(UserCommand command) => command switch
    {
        RegisterUser c => EmailProblem(c.Email) ?? DisplayNameProblem(c.DisplayName),
        ChangeEmail c => EmailProblem(c.Email),
        RenameUser c => DisplayNameProblem(c.DisplayName),
        DeactivateUser c => ReasonProblem(c.Reason),
        _ => null,
    };

    public static Decision Decide(UserState state, UserCommand command, TimeProvider clock)
    {
        if (Validate(command) is { } invalid)
        {
            return Decision.Reject(invalid.Rule, invalid.Detail);
        }
        var now = clock.GetUtcNow();
        return command switch
        {
            RegisterUser c => state.Exists
                ? Decision.Reject(Rule.AlreadyRegistered, $"User {c.UserId} is already registered.")
                : Decision.Accept(new UserRegistered(c.UserId, NormalEmail(c.Email), c.DisplayName.Trim(), now)),
            ChangeEmail c => WhenActive(state, () => NormalEmail(c.Email) is var email && email == state.Email
                ? Decision.Reject(Rule.NothingChanged, $"The e-mail address is already {email}.")
                : Decision.Accept(new UserEmailChanged(c.UserId, state.Email, email, now))),
            RenameUser c => WhenActive(state, () => c.DisplayName.Trim() is var name && name == state.DisplayName
                ? Decision.Reject(Rule.NothingChanged, $"The display name is already '{name}'.")
                : Decision.Accept(new UserRenamed(c.UserId, state.DisplayName, name, now))),
            DeactivateUser c => WhenActive(state, () => Decision.Accept(new UserDeactivated(c.UserId, c.Reason.Trim(), now))),
            ReactivateUser c => state.Status switch
            {
                UserStatus.Unregistered => NotFound(c.UserId),
                UserStatus.Erased => Erased(c.UserId),
                UserStatus.Active => Decision.Reject(Rule.AlreadyActive, $"User {c.UserId} is already active."),
                _ => Decision.Accept(new UserReactivated(c.UserId, now)),
            },
            EraseUser c => state.Status switch
            {
                UserStatus.Unregistered => NotFound(c.UserId),
                UserStatus.Erased => Erased(c.UserId),
                _ => Decision.Accept(new UserErased(c.UserId, now)),
            },
            _ => throw new ArgumentException($"Unknown command {command.GetType().Name}", nameof(command)),
        };

        Decision WhenActive(UserState s, Func<Decision> decide) => s.Status switch
        {
            UserStatus.Unregistered => NotFound(command.UserId),
            UserStatus.Deactivated => Decision.Reject(Rule.AccountDeactivated, $"User {command.UserId} is deactivated; only reactivation is allowed."),
            UserStatus.Erased => Erased(command.UserId),
            _ => decide(),
        };
    }

    /// <summary>True when a registration repeats the one that created the account (an idempotent retry).</summary>
    public static bool Repeats(UserRegistered registered, RegisterUser command) =>
        Validate(command) is null
        && NormalEmail(command.Email) == registered.Email
        && command.DisplayName.Trim() == registered.DisplayName;

    private static string NormalEmail(string email) => EmailAddress.TryNormalize(email, out var normal) ? normal : email;

    private static Rejection? EmailProblem(string? email) =>
        string.IsNullOrWhiteSpace(email) ? new Rejection(Rule.InvalidEmail, "The e-mail address is required.")
        : EmailAddress.TryNormalize(email, out _) ? null
        : new Rejection(Rule.InvalidEmail, $"'{email}' is not a valid e-mail address.");

    private static Rejection? DisplayNameProblem(string? name) =>
        (name?.Trim().Length ?? 0) is > 0 and <= MaxDisplayNameLength ? null
        : new Rejection(Rule.InvalidDisplayName, $"The display name must be 1 to {MaxDisplayNameLength} characters after trimming.");

    private static Rejection? ReasonProblem(string? reason) =>
        (reason?.Trim().Length ?? 0) is > 0 and <= MaxReasonLength ? null
        : new Rejection(Rule.InvalidReason, $"The reason must be 1 to {MaxReasonLength} characters after trimming.");

    private static Decision Erased(Guid id) => Decision.Reject(Rule.AccountErased, $"User {id} was erased.");

    private static Decision NotFound(Guid id) => Decision.Reject(Rule.UserNotFound, $"User {id} does not exist.");
}
