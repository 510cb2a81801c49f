using Accounts.Domain;
using CommandService.Application;

namespace CommandService.HttpApi;

/// <summary>How outcomes become HTTP answers: RFC 9457 problem details whose type names the rule.</summary>
public static class Problems
{
    public static IResult BadRequest(string field, string message) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message, type: TypeFor("invalid-request"));

    public static IResult For(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Rejected { Rejection: var r } when r.IsBadInput => BadRequest(FieldOf(r.Rule), r.Detail),
        CommandOutcome.Rejected { Rejection.Rule: Rule.UserNotFound } rejected =>
            Results.Problem(rejected.Rejection.Detail, statusCode: StatusCodes.Status404NotFound, title: "User not found", type: TypeFor("user-not-found")),
        CommandOutcome.Rejected { Rejection: var r } =>
            Results.Problem(r.Detail, statusCode: StatusCodes.Status409Conflict, title: TitleOf(r.Rule), type: TypeFor(Kebab(r.Rule))),
        CommandOutcome.StaleVersion s =>
            Results.Problem($"If-Match asked for version {s.Expected} but the account is at version {s.Current}.",
                statusCode: StatusCodes.Status412PreconditionFailed, title: "Stale version", type: TypeFor("stale-version")),
        CommandOutcome.ConcurrentWrite c =>
            Results.Problem(c.Detail, statusCode: StatusCodes.Status409Conflict, title: "Concurrent write", type: TypeFor("concurrent-write")),
        _ => throw new ArgumentException($"Not a problem: {outcome}", nameof(outcome)),
    };

    public static string TypeFor(string name) => $"/problems/{name}";

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
        _ => rule.ToString(),
    };

    private static string Kebab(Rule rule) =>
        string.Concat(rule.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
