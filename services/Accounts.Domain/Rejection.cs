namespace Accounts.Domain;

/// <summary>The rule a command broke. Invalid* rules are bad input (HTTP 400); the others conflict with the state (409).</summary>
public enum Rule
{
    InvalidEmail,
    InvalidDisplayName,
    InvalidReason,
    UserNotFound,
    AlreadyRegistered,
    EmailTaken,
    AccountDeactivated,
    AlreadyActive,
    NothingChanged,
    AccountErased,
}

public sealed record Rejection(Rule Rule, string Detail)
{
    public bool IsBadInput => Rule is Rule.InvalidEmail or Rule.InvalidDisplayName or Rule.InvalidReason;
}

/// <summary>The outcome of a decision: the events to append, or the rule that was broken. Never both, never neither.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<IUserEvent> events, Rejection? rejection) => (Events, Rejection) = (events, rejection);

    public IReadOnlyList<IUserEvent> Events { get; }

    public Rejection? Rejection { get; }

    public static Decision Accept(IUserEvent @event) => new([@event], null);

    public static Decision Reject(Rule rule, string detail) => new([], new Rejection(rule, detail));
}
