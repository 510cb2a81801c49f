using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using QueryService.Views;
using ServiceDefaults;
using ServiceDefaults.Auth;

namespace QueryService.HttpApi;

/// <summary>The query service's routes: one profile (optionally read-your-writes), the directory, the counts.</summary>
public static class QueryEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapQueryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Queries");
        group.MapGet("/users/{id}", GetUser).ProducesProblem(404).ProducesProblem(409).RequireAuthorization(Policies.ReadAccount);
        group.MapGet("/users", Search).RequireAuthorization(Policies.Read);
        group.MapGet("/stats", async Task<Ok<StatsResponse>> (IUserViewStore store, CancellationToken cancellationToken) =>
        {
            var counts = await store.CountAsync(cancellationToken);
            return TypedResults.Ok(new StatsResponse(counts.Active, counts.Deactivated));
        }).RequireAuthorization(Policies.Read);
        return app;
    }

    private static async Task<Results<Ok<UserProfileResponse>, ValidationProblem, ProblemHttpResult>> GetUser(
        string id, long? minVersion, HttpContext http, IUserViewStore store, UserChanges changes, IOptions<QueryOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return Problems.BadRequest("id", $"'{id}' is not a user id.");
        }
        if (minVersion is null)
        {
            var profile = await store.FindAsync(userId, cancellationToken);
            if (profile is null or { Status: UserStatus.Erased })
            {
                return Problems.NotFound("user-not-found", "User not found", $"No user {userId} is known here (yet).");
            }
            return Found(http, profile);
        }
        if (minVersion < 1)
        {
            return Problems.BadRequest("minVersion", "minVersion must be 1 or more.");
        }
        // Read-your-writes: woken by this process's projection, polled for views other instances write.
        var (seen, reached) = await changes.WaitForAsync(userId, token => store.FindAsync(userId, token), profile => profile is not null && profile.Version >= minVersion,
            options.Value.ReadYourWritesTimeout, options.Value.ReadYourWritesPoll, time, cancellationToken);
        if (seen is { Status: UserStatus.Erased })
        {
            return Problems.NotFound("user-not-found", "User not found", $"No user {userId} is known here (yet).");
        }
        if (reached)
        {
            return Found(http, seen!);
        }
        var has = seen?.Version ?? 0;
        return Problems.Conflict("view-behind", "View behind",
            $"The view of user {userId} is at version {has}; version {minVersion} did not arrive in time. Try again later.",
            new Dictionary<string, object?> { ["currentVersion"] = has, ["minVersion"] = minVersion });
    }

    private static async Task<Results<Ok<UserPageResponse>, ValidationProblem>> Search(
        string? search, string? status, int? limit, string? after, IUserViewStore store, CancellationToken cancellationToken)
    {
        UserStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!UserStatusText.TryParse(status, out var parsed))
            {
                return Problems.BadRequest("status", $"status must be '{UserStatusText.Active}' or '{UserStatusText.Deactivated}'.");
            }
            statusFilter = parsed;
        }
        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            return Problems.BadRequest("limit", $"limit must be between 1 and {MaxLimit.ToString(CultureInfo.InvariantCulture)}.");
        }
        DirectoryPosition? position = null;
        if (!string.IsNullOrEmpty(after) && !DirectoryCursor.TryDecode(after, out position))
        {
            return Problems.BadRequest("after", "after must be a cursor this API returned as 'next'.");
        }
        var found = await store.SearchAsync(new UserSearch(search, statusFilter, pageSize + 1, position), cancellationToken);
        var page = found.Take(pageSize).ToList();
        var next = found.Count > pageSize ? DirectoryCursor.Encode(DirectoryPosition.Of(page[^1])) : null;
        return TypedResults.Ok(new UserPageResponse(page.ConvertAll(UserProfileResponse.From), next));
    }

    /// <summary>The view, tagged with its version (the same entity tag the command service gives that version).</summary>
    private static Ok<UserProfileResponse> Found(HttpContext http, UserProfile profile)
    {
        http.Response.GetTypedHeaders().ETag = new EntityTagHeaderValue($"\"{profile.Version.ToString(CultureInfo.InvariantCulture)}\"");
        return TypedResults.Ok(UserProfileResponse.From(profile));
    }
}
