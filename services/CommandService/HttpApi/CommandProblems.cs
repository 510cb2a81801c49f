using Accounts.Domain;
using CommandService.Application;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults;

namespace CommandService.HttpApi;

/// <summary>How a command that was not accepted becomes an HTTP answer (the builders are ServiceDefaults' <see cref="Problems"/>).</summary>
public static class CommandProblems
{
    /// <summary>400 for input the domain's validation rejected, naming the field.</summary>
    public static ValidationProblem Invalid(Rejection rejection) => Problems.BadRequest(FieldOf(rejection.Rule), rejection.Detail);

    /// <summary>404, 409 or 412 for the other outcomes that are not accepted.</summary>
    public static ProblemHttpResult For(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Rejected { Rejection: { Rule: Rule.UserNotFound } r } => UserNotFound(r.Detail),
        CommandOutcome.Rejected { Rejection: var r } => Problems.Conflict(Kebab(r.Rule), TitleOf(r.Rule), r.Detail),
        CommandOutcome.StaleVersion s => Problems.PreconditionFailed("stale-version", "Stale version",
            $"If-Match asked for version {string.Join(" or ", s.Expected)} but the account is at version {s.Current}."),
        CommandOutcome.ConcurrentWrite c => Problems.Conflict("concurrent-write", "Concurrent write", c.Detail),
        _ => throw new ArgumentException($"Not a problem: {outcome}", nameof(outcome)),
    };

    public static ProblemHttpResult UserNotFound(string detail) => Problems.NotFound("user-not-found", "User not found", detail);

    private static string FieldOf(Rule rule) => rule switch
    {
        Rule.InvalidEmail => "email",
        Rule.InvalidDisplayName => "displayName",
        _ => "reason",
    };

    private static string TitleOf(Rule rule) => rule switch
    {
        Rule.AlreadyRegistered => "Already registered",
        Rule.EmailTaken => "E-mail address taken",
        Rule.AccountDeactivated => "Account deactivated",
        Rule.AlreadyActive => "Already active",
        Rule.NothingChanged => "Nothing changed",
        Rule.AccountErased => "Account erased",
        _ => rule.ToString(),
    };

    private static string Kebab(Rule rule) =>
        string.Concat(rule.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
