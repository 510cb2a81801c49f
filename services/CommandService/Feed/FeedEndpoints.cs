using Accounts.Messaging.Feed;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults;

namespace CommandService.Feed;

/// <summary>
/// <c>GET /feed</c> and <c>GET /feed/users/{id}</c>: the integration messages for replay and gap repair. One route group, so
/// an operator policy (the admin scope) is put on all of it in one line.
/// </summary>
public static class FeedEndpoints
{
    public const int DefaultLimit = 500;

    public static RouteGroupBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/feed").WithTags("Feed");
        feed.MapGet("/", ReadLog)
            .WithSummary("The integration messages in global log order, after a position, with the head position.")
            .WithDescription("JSON envelope per message: position, messageId, messageType, userId, version and data, the Avro single-object bytes the relay publishes (base64). Page on with after=next until next reaches head.");
        feed.MapGet("/users/{id}", ReadUser)
            .WithSummary("One account's integration messages from a version on (gap repair).");
        feed.MapGet("/progress", async (IntegrationFeed feed, CancellationToken cancellationToken) => TypedResults.Ok(await feed.ReadProgressAsync(cancellationToken)))
            .WithSummary("The log's head position and the relay's checkpoint (relay lag).");
        return feed;
    }

    private static async Task<Results<Ok<FeedPage>, ValidationProblem>> ReadLog(
        IntegrationFeed feed, ulong? after, int? limit, CancellationToken cancellationToken)
    {
        var count = limit ?? DefaultLimit;
        if (count is < 1 or > IntegrationFeed.MaxPage)
        {
            return Problems.BadRequest("limit", $"The limit is 1 to {IntegrationFeed.MaxPage}.");
        }
        return TypedResults.Ok(await feed.ReadAsync(after, count, cancellationToken));
    }

    private static async Task<Results<Ok<FeedPage>, ValidationProblem>> ReadUser(
        string id, IntegrationFeed feed, long? fromVersion, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return Problems.BadRequest("id", $"'{id}' is not a user id (a GUID).");
        }
        if (fromVersion is < 1)
        {
            return Problems.BadRequest("fromVersion", "The version counts from 1.");
        }
        return TypedResults.Ok(await feed.ReadUserAsync(userId, fromVersion ?? 1, cancellationToken));
    }
}
