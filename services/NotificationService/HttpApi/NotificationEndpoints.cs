using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NotificationService.Notifications;
using ServiceDefaults;
using ServiceDefaults.Auth;

namespace NotificationService.HttpApi;

/// <summary>The notification service's route: what was (or will be) sent to a user, oldest first.</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/users/{id}/notifications", async Task<Results<Ok<List<NotificationResponse>>, ValidationProblem>> (
            string id, int? minCount, INotificationStore store, UserChanges changes, IOptions<NotificationOptions> options, TimeProvider time,
            CancellationToken cancellationToken) =>
        {
            if (!Guid.TryParse(id, out var userId))
            {
                return Problems.BadRequest("id", $"'{id}' is not a user id.");
            }
            if (minCount < 1)
            {
                return Problems.BadRequest("minCount", "minCount must be 1 or more.");
            }
            var notifications = minCount is { } count
                ? (await changes.WaitForAsync(userId, token => store.ForUserAsync(userId, token), recorded => recorded.Count >= count,
                    options.Value.ReadYourWritesTimeout, options.Value.ReadYourWritesPoll, time, cancellationToken)).Value
                : await store.ForUserAsync(userId, cancellationToken);
            return TypedResults.Ok(notifications.Select(NotificationResponse.From).ToList());
        }).WithTags("Notifications").RequireAuthorization(Policies.ReadAccount)
            .WithDescription("Oldest first. With minCount=N it waits (up to Notifications:ReadYourWritesTimeout) until the user has N notifications recorded, then answers with what there is.");
        return app;
    }
}

public sealed record NotificationResponse(
    Guid Id, string Kind, string Recipient, string Subject, string State, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SentAt)
{
    public static NotificationResponse From(Notification n) => new(
        n.Id, NotificationKindText.Of(n.Kind), n.Recipient, n.Subject, NotificationStateText.Of(n.State), n.Attempts, n.LastError,
        n.CreatedAt, n.UpdatedAt, n.SentAt);
}
