using System.Diagnostics;
using Accounts.Contracts;
using QueryService.Views;

namespace QueryService.Projection;

/// <summary>
/// Applies one integration message to the user's view, order-safe and idempotent: a version at or below the stored one is
/// a duplicate (nothing happens), a version past the next one is a gap (<see cref="MessageOutOfOrderException"/>, retried),
/// the next version is written conditioned on the stored one; losing that race to another instance means looking again.
/// Each apply is a span <c>project &lt;Message&gt;</c>; an applied change records the projection lag.
/// </summary>
public sealed class UserProfileProjector(
    IUserViewStore store, UserViewChanges changes, TimeProvider time, ILogger<UserProfileProjector> logger)
{
    /// <param name="message">The integration message.</param>
    /// <param name="messageId">The transport message id, for the span only.</param>
    /// <param name="cancellationToken">Cancels the apply.</param>
    public async Task<ProjectionOutcome> ApplyAsync(IUserMessage message, Guid? messageId = null, CancellationToken cancellationToken = default)
    {
        using var activity = QueryTelemetry.Source.StartActivity($"project {message.GetType().Name}", ActivityKind.Internal);
        activity?.SetTag("user.id", message.UserId.ToString());
        activity?.SetTag("user.version", message.Version);
        activity?.SetTag("messaging.message.id", messageId?.ToString());
        try
        {
            var outcome = await ApplyOnceAsync(message, cancellationToken);
            activity?.SetTag("projection.applied", outcome == ProjectionOutcome.Applied);
            if (outcome == ProjectionOutcome.Applied)
            {
                QueryTelemetry.ProjectionLag.Record((time.GetUtcNow() - message.OccurredAt).TotalMilliseconds);
            }
            return outcome;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.SetTag("error.type", e.GetType().Name);
            throw;
        }
    }

    private async Task<ProjectionOutcome> ApplyOnceAsync(IUserMessage message, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await store.FindAsync(message.UserId, cancellationToken);
            var stored = current?.Version ?? 0;
            if (message.Version <= stored)
            {
                logger.LogDebug("Skipped {Message} v{Version} of user {UserId}: the view is at v{Stored}",
                    message.GetType().Name, message.Version, message.UserId, stored);
                return ProjectionOutcome.Duplicate;
            }
            if (message.Version > stored + 1)
            {
                throw new MessageOutOfOrderException(message, stored);
            }
            if (await store.TryWriteAsync(UserProfileEvolution.Evolve(current, message), cancellationToken))
            {
                changes.Changed(message.UserId);
                return ProjectionOutcome.Applied;
            }
        }
    }
}

public enum ProjectionOutcome
{
    Applied,
    Duplicate,
}
