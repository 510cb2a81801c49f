using Microsoft.AspNetCore.Http.HttpResults;
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
            string id, INotificationStore store, CancellationToken cancellationToken) =>
        {
            if (!Guid.TryParse(id, out var userId))
            {
                return Problems.BadRequest("id", $"'{id}' is not a user id.");
            }
            var notifications = await store.ForUserAsync(userId, cancellationToken);
            return TypedResults.Ok(notifications.Select(NotificationResponse.From).ToList());
        }).WithTags("Notifications").RequireAuthorization(Policies.ReadAccount);
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
