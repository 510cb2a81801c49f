using System.Globalization;
using QueryService.Views;

namespace QueryService.HttpApi;

/// <summary>The query service's routes: one profile (optionally read-your-writes), the directory, the counts.</summary>
public static class QueryEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapQueryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Queries");
        group.MapGet("/users/{id}", GetUser).Produces<UserProfileResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/users", Search).Produces<UserPageResponse>().ProducesProblem(400);
        group.MapGet("/stats", async (IUserViewStore store, CancellationToken cancellationToken) =>
        {
            var counts = await store.CountAsync(cancellationToken);
            return Results.Ok(new StatsResponse(counts.Active, counts.Deactivated));
        }).Produces<StatsResponse>();
        return app;
    }

    private static async Task<IResult> GetUser(
        string id, long? minVersion, HttpContext http, IUserViewStore store, ReadYourWrites readYourWrites, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadRequest("id", $"'{id}' is not a user id.");
        }
        if (minVersion is null)
        {
            var profile = await store.FindAsync(userId, cancellationToken);
            return profile is null
                ? Results.Problem($"No user {userId} is known here (yet).", statusCode: 404, title: "User not found", type: TypeFor("user-not-found"))
                : Found(http, profile);
        }
        if (minVersion < 1)
        {
            return BadRequest("minVersion", "minVersion must be 1 or more.");
        }
        var (seen, reached) = await readYourWrites.WaitForAsync(userId, minVersion.Value, cancellationToken);
        if (reached)
        {
            return Found(http, seen!);
        }
        var has = seen?.Version ?? 0;
        return Results.Problem(
            $"The view of user {userId} is at version {has}; version {minVersion} did not arrive in time. Try again later.",
            statusCode: 409, title: "View behind", type: TypeFor("view-behind"),
            extensions: new Dictionary<string, object?> { ["currentVersion"] = has, ["minVersion"] = minVersion });
    }

    private static async Task<IResult> Search(
        string? search, string? status, int? limit, string? after, IUserViewStore store, CancellationToken cancellationToken)
    {
        UserStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!UserStatusText.TryParse(status, out var parsed))
            {
                return BadRequest("status", $"status must be '{UserStatusText.Active}' or '{UserStatusText.Deactivated}'.");
            }
            statusFilter = parsed;
        }
        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            return BadRequest("limit", $"limit must be between 1 and {MaxLimit.ToString(CultureInfo.InvariantCulture)}.");
        }
        DirectoryPosition? position = null;
        if (!string.IsNullOrEmpty(after) && !DirectoryCursor.TryDecode(after, out position))
        {
            return BadRequest("after", "after must be a cursor this API returned as 'next'.");
        }
        var found = await store.SearchAsync(new UserSearch(search, statusFilter, pageSize + 1, position), cancellationToken);
        var page = found.Take(pageSize).ToList();
        var next = found.Count > pageSize ? DirectoryCursor.Encode(DirectoryPosition.Of(page[^1])) : null;
        return Results.Ok(new UserPageResponse(page.ConvertAll(UserProfileResponse.From), next));
    }

    private static IResult Found(HttpContext http, UserProfile profile)
    {
        http.Response.Headers.ETag = $"\"{profile.Version.ToString(CultureInfo.InvariantCulture)}\"";
        return Results.Ok(UserProfileResponse.From(profile));
    }

    private static IResult BadRequest(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, type: TypeFor("invalid-request"));

    private static string TypeFor(string name) => $"/problems/{name}";
}
