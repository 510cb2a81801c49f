using Accounts.Domain;

namespace Accounts.Domain.Tests;

public sealed class EvolveSpecs : UserSpec
{
    public static TheoryData<string> EventTypeNames() => [.. UserEventTypes.ByName.Keys];

    [Theory]
    [MemberData(nameof(EventTypeNames))]
    public void Every_event_type_has_an_evolve_case(string typeName)
    {
        var type = UserEventTypes.ByName[typeName];
        var sample = Samples.Single(e => e.GetType() == type);
        var state = UserState.Evolve(UserState.Fold([Registered()]), sample);
        Assert.Equal(2, state.Version);
        Assert.Equal(Now, state.UpdatedAt);
    }

    [Fact]
    public void Every_event_type_in_the_assembly_has_a_stable_name_and_a_sample()
    {
        var eventTypes = typeof(IUserEvent).Assembly.GetTypes().Where(t => t.IsClass && typeof(IUserEvent).IsAssignableFrom(t)).ToHashSet();
        Assert.Equal(eventTypes, UserEventTypes.ByName.Values.ToHashSet());
        Assert.Equal(eventTypes, Samples.Select(s => s.GetType()).ToHashSet());
    }

    [Fact]
    public void An_event_without_an_evolve_case_is_an_error_not_ignored() =>
        Assert.Throws<ArgumentException>(() => UserState.Evolve(UserState.Initial, new Unknown(UserId, Now)));

    [Fact]
    public void Folding_the_stream_gives_the_current_state()
    {
        var state = UserState.Fold([
            Registered(),
            new UserEmailChanged(UserId, "ada@example.com", "ada@new.org", Now),
            new UserRenamed(UserId, "Ada", "Bea", Now),
            new UserDeactivated(UserId, "left", Now),
        ]);
        Assert.Equal(new UserState(UserId, "ada@new.org", "Bea", UserStatus.Deactivated, 4, Earlier, Now), state);
    }

    private static readonly IUserEvent[] Samples =
    [
        new UserRegistered(UserId, "b@example.com", "B", Now),
        new UserEmailChanged(UserId, "ada@example.com", "c@example.com", Now),
        new UserRenamed(UserId, "Ada", "C", Now),
        new UserDeactivated(UserId, "r", Now),
        new UserReactivated(UserId, Now),
        new UserErased(UserId, Now),
    ];

    private sealed record Unknown(Guid UserId, DateTimeOffset OccurredAt) : IUserEvent;
}

public sealed class EmailReservationSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Ada = Guid.NewGuid(), Bea = Guid.NewGuid();

    private static ValueTask<string?> Uses(string? email) => ValueTask.FromResult(email);

    [Fact]
    public async Task Reserves_a_free_address() =>
        Assert.Equal(ClaimOutcome.Reserve, await EmailReservationDecider.Claim(ReservationState.Free, Ada, "a@x.org", _ => Uses(null), Now));

    [Fact]
    public async Task Sees_its_own_reservation_as_held() =>
        Assert.Equal(ClaimOutcome.AlreadyHeld, await EmailReservationDecider.Claim(new(Ada, Now), Ada, "a@x.org", _ => Uses(null), Now));

    [Fact]
    public async Task Refuses_an_address_another_account_uses() =>
        Assert.Equal(ClaimOutcome.Taken, await EmailReservationDecider.Claim(new(Bea, Now.AddDays(-1)), Ada, "a@x.org", _ => Uses("a@x.org"), Now));

    [Fact]
    public async Task Refuses_a_fresh_reservation_whose_holder_is_still_registering() =>
        Assert.Equal(ClaimOutcome.Taken, await EmailReservationDecider.Claim(new(Bea, Now.AddSeconds(-5)), Ada, "a@x.org", _ => Uses(null), Now));

    [Fact]
    public async Task Takes_over_a_stale_reservation_its_holder_does_not_use() =>
        Assert.Equal(ClaimOutcome.Reserve, await EmailReservationDecider.Claim(new(Bea, Now.AddMinutes(-5)), Ada, "a@x.org", _ => Uses("other@x.org"), Now));

    [Fact]
    public void A_release_frees_only_the_holders_reservation()
    {
        var held = ReservationState.Evolve(ReservationState.Free, new EmailReserved(Ada, "a@x.org", Now));
        Assert.Equal(held, ReservationState.Evolve(held, new EmailReleased(Bea, "a@x.org", Now)));
        Assert.Equal(ReservationState.Free, ReservationState.Evolve(held, new EmailReleased(Ada, "a@x.org", Now)));
    }
}
