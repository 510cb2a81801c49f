using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ServiceDefaults;

/// <summary>
/// The problem details (RFC 9457) every service answers with, as typed results: the <c>type</c> is
/// <c>/problems/{name}</c> and names the rule that said no; a bad request also names the offending field in <c>errors</c>.
/// </summary>
public static class Problems
{
    public const string InvalidRequest = "invalid-request";

    public static string TypeFor(string name) => $"/problems/{name}";

    /// <summary>400: the request cannot be served as sent; <paramref name="field"/> says which part is wrong.</summary>
    public static ValidationProblem BadRequest(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] }, detail: message, type: TypeFor(InvalidRequest));

    /// <summary>404: the resource does not exist (here, or yet).</summary>
    public static ProblemHttpResult NotFound(string name, string title, string detail) =>
        Problem(StatusCodes.Status404NotFound, name, title, detail);

    /// <summary>409: the request conflicts with the resource's current state.</summary>
    public static ProblemHttpResult Conflict(string name, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, name, title, detail, extensions);

    /// <summary>412: a precondition (If-Match) does not hold.</summary>
    public static ProblemHttpResult PreconditionFailed(string name, string title, string detail) =>
        Problem(StatusCodes.Status412PreconditionFailed, name, title, detail);

    public static ProblemHttpResult Problem(int status, string name, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypeFor(name), extensions: extensions);
}
