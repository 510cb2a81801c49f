namespace Accounts.Domain;

/// <summary>A request to change one user account. Imperative names; validated by <see cref="UserDecider"/>.</summary>
public abstract record UserCommand(Guid UserId);

public sealed record RegisterUser(Guid UserId, string Email, string DisplayName) : UserCommand(UserId);

public sealed record ChangeEmail(Guid UserId, string Email) : UserCommand(UserId);

public sealed record RenameUser(Guid UserId, string DisplayName) : UserCommand(UserId);

public sealed record DeactivateUser(Guid UserId, string Reason) : UserCommand(UserId);

public sealed record ReactivateUser(Guid UserId) : UserCommand(UserId);

/// <summary>Forget the account: its personal data becomes unreadable for good.</summary>
public sealed record EraseUser(Guid UserId) : UserCommand(UserId);
