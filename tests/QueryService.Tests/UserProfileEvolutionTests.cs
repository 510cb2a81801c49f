using Accounts.Contracts;
using QueryService.Projection;
using QueryService.Views;

namespace QueryService.Tests;

public sealed class UserProfileEvolutionTests
{
    private static readonly Guid Ada = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));

    private static readonly IUserMessage[] OneOfEach =
    [
        new UserRegistered(Ada, 1, At, "ada@example.com", "Ada"),
        new UserEmailChanged(Ada, 2, At, "ada@example.com", "ada@lovelace.org"),
        new UserRenamed(Ada, 3, At, "Countess"),
        new UserDeactivated(Ada, 4, At, "moved on"),
        new UserReactivated(Ada, 5, At),
        new UserErased(Ada, 6, At),
    ];

    [Fact]
    public void Every_integration_message_has_a_profile_change()
    {
        var messageTypes = typeof(IUserMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IUserMessage).IsAssignableFrom(t));
        Assert.Equal(messageTypes.Select(t => t.Name).Order(), OneOfEach.Select(m => m.GetType().Name).Order());
        var profile = (UserProfile?)null;
        foreach (var message in OneOfEach)
        {
            profile = UserProfileEvolution.Evolve(profile, message);
            Assert.Equal(message.Version, profile.Version);
        }
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond_in_utc()
    {
        var precise = At.AddTicks(1234);
        var profile = UserProfileEvolution.Evolve(null, new UserRegistered(Ada, 1, precise, "ada@example.com", "Ada"));
        Assert.Equal(At, profile.RegisteredAt);
        Assert.Equal(TimeSpan.Zero, profile.RegisteredAt.Offset);
    }

    [Fact]
    public void A_change_keeps_what_it_does_not_touch()
    {
        var registered = UserProfileEvolution.Evolve(null, OneOfEach[0]);
        var renamed = UserProfileEvolution.Evolve(registered, new UserRenamed(Ada, 2, At.AddDays(1), "Countess"));
        Assert.Equal(registered with { DisplayName = "Countess", Version = 2, UpdatedAt = At.AddDays(1) }, renamed);
    }
}
