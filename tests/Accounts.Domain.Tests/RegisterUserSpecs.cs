using Accounts.Domain;

namespace Accounts.Domain.Tests;

public sealed class RegisterUserSpecs : UserSpec
{
    [Fact]
    public void Registers_with_a_normalised_email_and_trimmed_name() =>
        ThenEvents(When(new RegisterUser(UserId, "  Ada.Lovelace@Example.COM ", "  Ada Lovelace ")),
            new UserRegistered(UserId, "ada.lovelace@example.com", "Ada Lovelace", Now));

    [Fact]
    public void Rejects_registering_an_existing_id() =>
        ThenRejected(Given(Registered()).When(new RegisterUser(UserId, "other@example.com", "Other")), Rule.AlreadyRegistered);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("ada@example")]
    [InlineData("ada@@example.com")]
    [InlineData("ada..l@example.com")]
    [InlineData(".ada@example.com")]
    [InlineData("ada@-example.com")]
    [InlineData("ada@example.c0m")]
    [InlineData("a da@example.com")]
    [InlineData("Ada <ada@example.com>")]
    public void Rejects_an_invalid_email(string email) =>
        ThenRejected(When(new RegisterUser(UserId, email, "Ada")), Rule.InvalidEmail);

    [Fact]
    public void Rejects_an_email_longer_than_254_characters() =>
        ThenRejected(When(new RegisterUser(UserId, new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com", "Ada")), Rule.InvalidEmail);

    [Theory]
    [InlineData("")]
    [InlineData("    ")]
    public void Rejects_an_empty_display_name(string name) =>
        ThenRejected(When(new RegisterUser(UserId, "ada@example.com", name)), Rule.InvalidDisplayName);

    [Fact]
    public void Rejects_a_display_name_over_100_characters() =>
        ThenRejected(When(new RegisterUser(UserId, "ada@example.com", new string('x', 101))), Rule.InvalidDisplayName);

    [Fact]
    public void Accepts_a_display_name_of_100_characters_after_trimming() =>
        ThenEvents(When(new RegisterUser(UserId, "ada@example.com", "  " + new string('x', 100) + "  ")),
            new UserRegistered(UserId, "ada@example.com", new string('x', 100), Now));

    [Fact]
    public void Recognises_a_repeated_registration_as_the_same_request()
    {
        Assert.True(UserDecider.Repeats(Registered(), new RegisterUser(UserId, " ADA@example.com", "Ada ")));
        Assert.False(UserDecider.Repeats(Registered(), new RegisterUser(UserId, "ada@example.com", "Ada B")));
        Assert.False(UserDecider.Repeats(Registered(), new RegisterUser(UserId, "eve@example.com", "Ada")));
    }
}
