using Accounts.Domain;

namespace Accounts.Domain.Tests;

/// <summary>Given(events) / When(command) / Then(events or rejection), over the pure decider.</summary>
public abstract class UserSpec
{
    protected static readonly Guid UserId = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");
    protected static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset Earlier = Now.AddDays(-3);

    private readonly List<IUserEvent> _given = [];

    public UserSpec Given(params IUserEvent[] events)
    {
        _given.AddRange(events);
        return this;
    }

    public Decision When(UserCommand command) =>
        UserDecider.Decide(UserState.Fold(_given), command, new FixedClock(Now));

    protected static void ThenEvents(Decision decision, params IUserEvent[] expected)
    {
        Assert.Null(decision.Rejection);
        Assert.Equal(expected, decision.Events);
    }

    protected static void ThenRejected(Decision decision, Rule rule)
    {
        Assert.Empty(decision.Events);
        Assert.Equal(rule, decision.Rejection?.Rule);
        Assert.False(string.IsNullOrWhiteSpace(decision.Rejection!.Detail));
    }

    protected static UserRegistered Registered(string email = "ada@example.com", string name = "Ada") =>
        new(UserId, email, name, Earlier);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
