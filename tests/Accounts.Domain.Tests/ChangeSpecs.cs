using Accounts.Domain;

namespace Accounts.Domain.Tests;

public sealed class ChangeEmailSpecs : UserSpec
{
    [Fact]
    public void Changes_to_a_new_normalised_address() =>
        ThenEvents(Given(Registered()).When(new ChangeEmail(UserId, " Ada@New.Example.org")),
            new UserEmailChanged(UserId, "ada@example.com", "ada@new.example.org", Now));

    [Fact]
    public void Rejects_the_same_address_as_nothing_changed() =>
        ThenRejected(Given(Registered()).When(new ChangeEmail(UserId, "ADA@example.com")), Rule.NothingChanged);

    [Fact]
    public void Rejects_an_invalid_address() =>
        ThenRejected(Given(Registered()).When(new ChangeEmail(UserId, "nope")), Rule.InvalidEmail);

    [Fact]
    public void Rejects_an_unknown_user() =>
        ThenRejected(When(new ChangeEmail(UserId, "ada@example.com")), Rule.UserNotFound);

    [Fact]
    public void Rejects_a_deactivated_account() =>
        ThenRejected(Given(Registered(), new UserDeactivated(UserId, "left", Earlier)).When(new ChangeEmail(UserId, "x@example.com")), Rule.AccountDeactivated);
}

public sealed class RenameUserSpecs : UserSpec
{
    [Fact]
    public void Renames_with_a_trimmed_name() =>
        ThenEvents(Given(Registered()).When(new RenameUser(UserId, " Countess Ada ")),
            new UserRenamed(UserId, "Ada", "Countess Ada", Now));

    [Fact]
    public void Rejects_the_same_name_as_nothing_changed() =>
        ThenRejected(Given(Registered()).When(new RenameUser(UserId, " Ada ")), Rule.NothingChanged);

    [Fact]
    public void Rejects_an_empty_name() =>
        ThenRejected(Given(Registered()).When(new RenameUser(UserId, " ")), Rule.InvalidDisplayName);

    [Fact]
    public void Rejects_a_deactivated_account() =>
        ThenRejected(Given(Registered(), new UserDeactivated(UserId, "left", Earlier)).When(new RenameUser(UserId, "Bea")), Rule.AccountDeactivated);

    [Fact]
    public void Rejects_an_unknown_user() =>
        ThenRejected(When(new RenameUser(UserId, "Bea")), Rule.UserNotFound);
}

public sealed class DeactivateUserSpecs : UserSpec
{
    [Fact]
    public void Deactivates_an_active_account_with_a_trimmed_reason() =>
        ThenEvents(Given(Registered()).When(new DeactivateUser(UserId, " moved away ")), new UserDeactivated(UserId, "moved away", Now));

    [Fact]
    public void Rejects_deactivating_twice() =>
        ThenRejected(Given(Registered(), new UserDeactivated(UserId, "left", Earlier)).When(new DeactivateUser(UserId, "again")), Rule.AccountDeactivated);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Rejects_a_missing_reason(string reason) =>
        ThenRejected(Given(Registered()).When(new DeactivateUser(UserId, reason)), Rule.InvalidReason);

    [Fact]
    public void Rejects_an_unknown_user() =>
        ThenRejected(When(new DeactivateUser(UserId, "gone")), Rule.UserNotFound);
}

public sealed class ReactivateUserSpecs : UserSpec
{
    [Fact]
    public void Reactivates_a_deactivated_account() =>
        ThenEvents(Given(Registered(), new UserDeactivated(UserId, "left", Earlier)).When(new ReactivateUser(UserId)), new UserReactivated(UserId, Now));

    [Fact]
    public void Rejects_reactivating_an_active_account() =>
        ThenRejected(Given(Registered()).When(new ReactivateUser(UserId)), Rule.AlreadyActive);

    [Fact]
    public void Rejects_an_unknown_user() =>
        ThenRejected(When(new ReactivateUser(UserId)), Rule.UserNotFound);

    [Fact]
    public void Allows_changes_again_after_reactivation() =>
        ThenEvents(Given(Registered(), new UserDeactivated(UserId, "left", Earlier), new UserReactivated(UserId, Earlier))
            .When(new RenameUser(UserId, "Bea")), new UserRenamed(UserId, "Ada", "Bea", Now));
}

public sealed class EraseUserSpecs : UserSpec
{
    [Fact]
    public void Erases_an_active_or_deactivated_account_with_an_event_that_holds_no_personal_data()
    {
        ThenEvents(Given(Registered()).When(new EraseUser(UserId)), new UserErased(UserId, Now));
        ThenEvents(Given(Registered(), new UserDeactivated(UserId, "left", Earlier)).When(new EraseUser(UserId)), new UserErased(UserId, Now));
    }

    [Fact]
    public void Rejects_an_unknown_user() =>
        ThenRejected(When(new EraseUser(UserId)), Rule.UserNotFound);

    [Fact]
    public void An_erased_account_takes_no_command_at_all()
    {
        var erased = new IUserEvent[] { Registered(), new UserErased(UserId, Earlier) };
        ThenRejected(Given(erased).When(new EraseUser(UserId)), Rule.AccountErased);
        ThenRejected(Given(erased).When(new RenameUser(UserId, "Bea")), Rule.AccountErased);
        ThenRejected(Given(erased).When(new ReactivateUser(UserId)), Rule.AccountErased);
        ThenRejected(Given(erased).When(new RegisterUser(UserId, "ada@example.com", "Ada")), Rule.AlreadyRegistered);
    }
}
